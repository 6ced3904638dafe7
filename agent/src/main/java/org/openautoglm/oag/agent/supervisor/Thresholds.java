package org.openautoglm.oag.agent.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on one allocation's process group, checked by {@link AllocationSupervisor#step} on
 * every step while it runs. A zero limit is no limit. Immutable; checked when built.
 *
 * @param maxMemoryMiB resident memory of the whole group above this many MiB breaks it
 * @param maxCpuPercent CPU of the whole group above this, in percent of one core (200 = two
 *     cores), held for {@code cpuFor}, breaks it
 * @param cpuFor how long the CPU must stay above {@code maxCpuPercent}; zero means one sample
 * @param maxRuntime a run (since its launch, or its leader's start when adopted) longer than
 *     this breaks it
 * @param action what breaking a limit does
 */
public record Thresholds(long maxMemoryMiB, double maxCpuPercent, Duration cpuFor,
    Duration maxRuntime, Action action) {

  /** No limits. */
  public static final Thresholds NONE =
      new Thresholds(0, 0, Duration.ZERO, Duration.ZERO, Action.RESTART);

  /** What happens to a group that breaks a limit; either way it is stopped first (SIGTERM, then SIGKILL). */
  public enum Action {
    /**
     * Restarted as if it had failed, whatever the policy's mode: the restart counts against
     * the policy's budget and waits its backoff, so a process that keeps breaking the limit
     * ends FAILED.
     */
    RESTART,
    /** Ends KILLED and is never restarted. */
    KILL
  }

  public Thresholds {
    Objects.requireNonNull(cpuFor, "cpuFor");
    Objects.requireNonNull(maxRuntime, "maxRuntime");
    Objects.requireNonNull(action, "action");
    if (maxMemoryMiB < 0 || maxCpuPercent < 0 || Double.isNaN(maxCpuPercent)) {
      throw new IllegalArgumentException("limits must not be negative");
    }
    if (cpuFor.isNegative() || maxRuntime.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** Whether any limit is set. */
  public boolean any() {
    return maxMemoryMiB > 0 || maxCpuPercent > 0 || !maxRuntime.isZero();
  }
}
