package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.RebalanceSettingsRecord;

/**
 * The rebalancer's replicated settings, with a field left 0 read as its default.
 *
 * @param thresholdPercent the spread (busiest node's share in use minus the least busy one's,
 *     in percentage points) above which the rebalancer moves work
 * @param maxMoves migrations begun per interval at most
 * @param intervalMs how often the rebalancer looks
 * @param cooldownMs a task that began a migration this recently is not moved again
 * @param disabled nothing is moved
 */
public record RebalanceSettings(int thresholdPercent, int maxMoves, long intervalMs, long cooldownMs,
    boolean disabled) {

  /**
   * 20 points: a one-task difference between small nodes does not churn. Three moves every
   * 5 s spread a freshly added node's share of a few dozen tasks within the original design's
   * 60 s; a moved task stays put for 2 minutes.
   */
  public static final RebalanceSettings DEFAULTS = new RebalanceSettings(20, 3, 5_000, 120_000, false);

  /** {@code r} with every field left 0 taken from {@link #DEFAULTS}. */
  public static RebalanceSettings of(RebalanceSettingsRecord r) {
    RebalanceSettings d = DEFAULTS;
    return new RebalanceSettings(
        r.getThresholdPercent() != 0 ? r.getThresholdPercent() : d.thresholdPercent,
        r.getMaxMoves() != 0 ? r.getMaxMoves() : d.maxMoves,
        r.getIntervalMs() != 0 ? r.getIntervalMs() : d.intervalMs,
        r.getCooldownMs() != 0 ? r.getCooldownMs() : d.cooldownMs,
        r.getDisabled());
  }

  public RebalanceSettingsRecord toRecord() {
    return RebalanceSettingsRecord.newBuilder().setThresholdPercent(thresholdPercent).setMaxMoves(maxMoves)
        .setIntervalMs(intervalMs).setCooldownMs(cooldownMs).setDisabled(disabled).build();
  }

  /** What makes these settings unusable, naming the field (as in {@code settings.max_moves}). */
  Optional<Violation> check(String prefix) {
    if (thresholdPercent < 1 || thresholdPercent > 100) {
      return Violation.of(prefix + "threshold_percent", thresholdPercent + " is not between 1 and 100");
    }
    if (maxMoves < 1 || maxMoves > 100) {
      return Violation.of(prefix + "max_moves", maxMoves + " is not between 1 and 100");
    }
    if (intervalMs < 1_000 || intervalMs > 3_600_000) {
      return Violation.of(prefix + "interval_ms", intervalMs + " is not between 1 s and an hour");
    }
    if (cooldownMs < 0 || cooldownMs > 86_400_000) {
      return Violation.of(prefix + "cooldown_ms", cooldownMs + " is not between 0 and a day");
    }
    return Optional.empty();
  }
}
