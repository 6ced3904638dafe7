package org.openautoglm.oag.agent.supervisor;

import java.time.Duration;
import java.util.Optional;
import org.openautoglm.oag.agent.host.GroupSample;

/**
 * Applies {@link Thresholds} to one run's samples and says which limit it broke, as a reason
 * for people ("memory 612 MiB above limit 500 MiB"). Keeps only when the CPU went above its
 * limit; {@link #reset} at every launch. Not thread-safe; pure apart from that state.
 */
final class ThresholdCheck {
  private final Thresholds limits;
  private boolean cpuAbove;
  private long cpuAboveSince;

  ThresholdCheck(Thresholds limits) {
    this.limits = limits;
  }

  Thresholds limits() {
    return limits;
  }

  void reset() {
    cpuAbove = false;
  }

  /**
   * The limit the run broke, if any.
   *
   * @param sample the group now, or null when there is no sample
   * @param ranNanos how long the run has been going
   */
  Optional<String> check(GroupSample sample, long ranNanos, long nowNanos) {
    if (!limits.maxRuntime().isZero() && ranNanos > limits.maxRuntime().toNanos()) {
      return Optional.of("runtime " + RestartTracker.format(Duration.ofSeconds(ranNanos / 1_000_000_000L))
          + " above limit " + RestartTracker.format(limits.maxRuntime()));
    }
    if (sample == null) {
      return Optional.empty();
    }
    if (limits.maxMemoryMiB() > 0 && sample.rssMiB() > limits.maxMemoryMiB()) {
      return Optional.of("memory " + sample.rssMiB() + " MiB above limit " + limits.maxMemoryMiB()
          + " MiB");
    }
    if (limits.maxCpuPercent() > 0 && sample.cpuPercent() > limits.maxCpuPercent()) {
      if (!cpuAbove) {
        cpuAbove = true;
        cpuAboveSince = nowNanos;
      }
      if (nowNanos - cpuAboveSince >= limits.cpuFor().toNanos()) {
        return Optional.of(String.format("cpu %.0f%% above limit %.0f%% for %s",
            sample.cpuPercent(), limits.maxCpuPercent(), RestartTracker.format(limits.cpuFor())));
      }
    } else {
      cpuAbove = false;
    }
    return Optional.empty();
  }
}
