package org.openautoglm.oag.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.ChaosTestSupport;

/**
 * The short CI run of the mixed scenario: every fault class once (a round of the nemesis's
 * schedule), on 3 coordinators and 3 agents running the clients' tasks. Longer runs: {@code
 * -Doag.chaos.duration=SECONDS -Doag.chaos.seed=N}, or {@code oag chaos run --scenario mixed}.
 */
class MixedChaosTest {
  @Test
  void everyFaultClassOnceKeepsEveryPromise() throws Exception {
    long seed = Long.getLong("oag.chaos.seed", ThreadLocalRandom.current().nextLong(1, 1_000_000));
    Duration duration = Duration.ofSeconds(Long.getLong("oag.chaos.duration", 30));
    System.out.println("chaos: mixed seed=" + seed + " duration=" + duration);

    ScenarioReport report = FaultScenario.run(FaultScenario.MIXED, ScenarioConfig.mixed(seed, duration,
        ChaosTestSupport.workDir(MixedChaosTest.class), ChaosTestSupport.namespacesAvailable()));

    System.out.println(report.table());
    // The nemesis runs at least one whole round however short the duration: each fault class
    // was injected, and none failed to be.
    assertThat(report.faults()).as("faults injected").isNotEmpty()
        .allSatisfy((fault, times) -> assertThat(times).as(fault).isPositive());
    assertThat(report.notInjected()).as("faults that could not be injected").isZero();
    assertThat(report.fencing().overlaps()).as("overlapping exclusive generations").isEmpty();
    assertThat(report.liveness().notLive()).as("wanted tasks not running after the heal").isEmpty();
    assertThat(report.valid()).as(report.table()).isTrue();
  }
}
