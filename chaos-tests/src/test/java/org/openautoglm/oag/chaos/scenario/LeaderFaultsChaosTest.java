package org.openautoglm.oag.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.ChaosTestSupport;

/**
 * The short CI run of the leader-faults scenario: 30 s of faults, and at least one round of
 * every kind (the mixed scenario injects them too, beside the agents' faults). Longer runs:
 * {@code -Doag.chaos.duration=SECONDS -Doag.chaos.seed=N}, or {@code oag chaos run}.
 */
class LeaderFaultsChaosTest {
  @Test
  void acknowledgedSubmitsSurviveLeaderFaultsTakeEffectOnceAndReplicasConverge()
      throws Exception {
    long seed = Long.getLong("oag.chaos.seed", ThreadLocalRandom.current().nextLong(1, 1_000_000));
    Duration duration = Duration.ofSeconds(Long.getLong("oag.chaos.duration", 30));
    System.out.println("chaos: leader-faults seed=" + seed + " duration=" + duration);

    ScenarioReport report = FaultScenario.run(FaultScenario.LEADER_FAULTS, ScenarioConfig.of(seed, duration,
        ChaosTestSupport.workDir(LeaderFaultsChaosTest.class), ChaosTestSupport.namespacesAvailable()));

    System.out.println(report.table());
    // Every kind of fault (partitions too, where namespaces exist) was injected at least once.
    assertThat(report.faults()).as("faults injected").isNotEmpty()
        .allSatisfy((fault, times) -> assertThat(times).as(fault).isPositive());
    assertThat(report.ok()).as("acknowledged submits").isPositive();
    assertThat(report.submits().lost()).as("lost acknowledged submits").isEmpty();
    assertThat(report.submits().duplicated()).as("request ids with more than one task").isEmpty();
    assertThat(report.linearizability().nonLinearizable()).as("tasks whose desired state is not linearizable")
        .isEmpty();
    assertThat(report.valid()).as(report.table()).isTrue();
  }
}
