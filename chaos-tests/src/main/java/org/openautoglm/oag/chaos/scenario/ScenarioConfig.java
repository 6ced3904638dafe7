package org.openautoglm.oag.chaos.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One run of a scenario.
 *
 * @param seed picks the faults, their timing and the request ids; printed in the report so a
 *     run can be repeated
 * @param duration how long faults are injected (the run takes longer: start, settle, checks)
 * @param clients concurrent clients
 * @param opsPerSecond operations per second per client
 * @param recoveryBound the longest an acknowledged write may take once every fault is healed
 * @param settle how long the clients go on after the last heal, before the final checks
 * @param workDir node data and logs, the history and the report
 * @param isolatedNetwork coordinators in namespaces (partitions possible) or on loopback
 */
public record ScenarioConfig(long seed, Duration duration, int clients, double opsPerSecond,
    Duration recoveryBound, Duration settle, Path workDir, boolean isolatedNetwork) {
  public ScenarioConfig {
    Objects.requireNonNull(workDir, "workDir");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    if (clients < 1 || clients > 64) {
      throw new IllegalArgumentException("clients must be 1 to 64, was " + clients);
    }
  }

  /**
   * With agents, where every submit starts a process and every stop ends one: 4 clients at 5
   * operations/s each, a 10 s bound after heal and 10 s of settling.
   */
  public static ScenarioConfig mixed(long seed, Duration duration, Path workDir, boolean isolatedNetwork) {
    return new ScenarioConfig(seed, duration, 4, 5, Duration.ofSeconds(10), Duration.ofSeconds(10),
        workDir, isolatedNetwork);
  }

  /** 4 clients at 20 operations/s each, a 10 s bound after heal and 10 s of settling. */
  public static ScenarioConfig of(long seed, Duration duration, Path workDir, boolean isolatedNetwork) {
    return new ScenarioConfig(seed, duration, 4, 20, Duration.ofSeconds(10), Duration.ofSeconds(10),
        workDir, isolatedNetwork);
  }
}
