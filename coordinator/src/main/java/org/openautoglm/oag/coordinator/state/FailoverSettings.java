package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.FailoverSettingsRecord;

/**
 * The replicated failure-detection and fencing rules, with a field left 0 read as its
 * default. They hold together only when a node is declared dead after its exclusive work is
 * surely gone: {@code ttl >= lease * (1 + rate) + keeper period + 0.5 s}: the agent's lease
 * (measured from a heartbeat's send, on the host's clock) has lapsed by the leader's clock,
 * the keeper has had a period to notice, and its SIGKILL half a second to land.
 *
 * @param leaseMs L
 * @param ttlMs no heartbeat for this long: the node is DOWN and its allocations LOST
 * @param availableTtlMs no heartbeat for this long: its {@code available} tasks' allocations
 *     are LOST and placed elsewhere (they need no lease to lapse)
 * @param clockRatePpm rho, in millionths
 * @param keeperPeriodMs how often a host's lease keeper checks
 * @param stormPercent more than this share of the UP nodes silent at once: declare none down
 * @param maxReschedules K: how often a task whose restart budget ran out is placed again
 */
public record FailoverSettings(long leaseMs, long ttlMs, long availableTtlMs, int clockRatePpm,
    long keeperPeriodMs, int stormPercent, int maxReschedules) {

  /** Half a second for the keeper's SIGKILL to land. */
  static final long KILL_MARGIN_MS = 500;

  /**
   * L = 5 s outlasts an election and the agents' reconnect (about 1 s here); rho 1 %; the
   * keeper checks every 200 ms; so TTL = 6 s. Available work moves after 2.5 s: long enough
   * for an agent cut off from its coordinator to give up that session (1 s without an ack)
   * and be heard through another, short enough to run elsewhere within 3 s. Half the fleet
   * silent at once is a coordinator-side fault, not a host one.
   */
  public static final FailoverSettings DEFAULTS = new FailoverSettings(5_000, 6_000, 2_500, 10_000, 200, 50, 3);

  /** {@code r} with every field left 0 taken from {@link #DEFAULTS}. */
  public static FailoverSettings of(FailoverSettingsRecord r) {
    FailoverSettings d = DEFAULTS;
    return new FailoverSettings(
        r.getLeaseMs() != 0 ? r.getLeaseMs() : d.leaseMs,
        r.getTtlMs() != 0 ? r.getTtlMs() : d.ttlMs,
        r.getAvailableTtlMs() != 0 ? r.getAvailableTtlMs() : d.availableTtlMs,
        r.getClockRatePpm() != 0 ? r.getClockRatePpm() : d.clockRatePpm,
        r.getKeeperPeriodMs() != 0 ? r.getKeeperPeriodMs() : d.keeperPeriodMs,
        r.getStormPercent() != 0 ? r.getStormPercent() : d.stormPercent,
        r.getMaxReschedules() != 0 ? r.getMaxReschedules() : d.maxReschedules);
  }

  public FailoverSettingsRecord toRecord() {
    return FailoverSettingsRecord.newBuilder().setLeaseMs(leaseMs).setTtlMs(ttlMs)
        .setAvailableTtlMs(availableTtlMs).setClockRatePpm(clockRatePpm).setKeeperPeriodMs(keeperPeriodMs)
        .setStormPercent(stormPercent).setMaxReschedules(maxReschedules).build();
  }

  /** The shortest TTL these settings allow: {@code lease * (1 + rate) + keeper + 0.5 s}. */
  public long minimumTtlMs() {
    return leaseMs + (long) Math.ceil(leaseMs * (clockRatePpm / 1_000_000.0)) + keeperPeriodMs + KILL_MARGIN_MS;
  }

  /** What makes these settings unusable, naming the field (as in {@code settings.ttl_ms}). */
  Optional<Violation> check(String prefix) {
    long day = 86_400_000L;
    if (leaseMs < 100 || leaseMs > day) {
      return Violation.of(prefix + "lease_ms", leaseMs + " is not between 100 ms and a day");
    }
    if (clockRatePpm < 0 || clockRatePpm > 100_000) {
      return Violation.of(prefix + "clock_rate_ppm", clockRatePpm + " is not between 0 and 100000 (10 %)");
    }
    if (keeperPeriodMs < 1 || keeperPeriodMs > 60_000) {
      return Violation.of(prefix + "keeper_period_ms", keeperPeriodMs + " is not between 1 ms and a minute");
    }
    if (ttlMs < minimumTtlMs() || ttlMs > day) {
      return Violation.of(prefix + "ttl_ms", ttlMs + " ms is shorter than lease * (1 + rate) + keeper period"
          + " + 0.5 s = " + minimumTtlMs() + " ms (or longer than a day): exclusive work could run twice");
    }
    if (availableTtlMs < 100 || availableTtlMs > ttlMs) {
      return Violation.of(prefix + "available_ttl_ms", availableTtlMs + " is not between 100 ms and the ttl");
    }
    if (stormPercent < 1 || stormPercent > 100) {
      return Violation.of(prefix + "storm_percent", stormPercent + " is not between 1 and 100");
    }
    if (maxReschedules < 0 || maxReschedules > 1_000) {
      return Violation.of(prefix + "max_reschedules", maxReschedules + " is not between 0 and 1000");
    }
    return Optional.empty();
  }
}
