package org.openautoglm.oag.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosArgsTest {

  @Test
  void runAllIsTheDefaultAndDurationsTakeUnits() throws Exception {
    ChaosArgs a = ChaosArgs.parse("run", "--duration", "10m", "--seed", "42");

    assertThat(a.scenarios()).containsExactly(FaultScenario.LEADER_FAULTS, AgentFaultsScenario.NAME,
        FaultScenario.LAGGING_FOLLOWER, FaultScenario.MIXED);
    assertThat(a.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(a.seed()).isEqualTo(42);
    assertThat(a.work()).isAbsolute();
    assertThat(ChaosArgs.duration("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ChaosArgs.duration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(ChaosArgs.duration("30m")).isEqualTo(ChaosArgs.MAX_DURATION);
  }

  @Test
  void oneScenarioByName() throws Exception {
    ChaosArgs a = ChaosArgs.parse("--scenario", "agent-faults", "--kills", "3", "--work", "/tmp/x");

    assertThat(a.scenarios()).containsExactly(AgentFaultsScenario.NAME);
    assertThat(a.kills()).hasValue(3);
    assertThat(a.work()).isEqualTo(Path.of("/tmp/x"));
    assertThat(a.duration()).isNull();
  }

  @Test
  void badInputNamesTheOption() {
    for (List<String> bad : List.of(List.of("--scenario", "nope"), List.of("--duration", "0"),
        List.of("--duration", "31m"), List.of("--duration", "ten"), List.of("--seed", "x"),
        List.of("--kills", "2"), List.of("--frobnicate", "1"), List.of("--seed"), List.of("stray"))) {
      assertThatThrownBy(() -> ChaosArgs.parse(bad.toArray(String[]::new)))
          .as(String.join(" ", bad)).isInstanceOf(ChaosArgs.BadArgs.class)
          .hasMessageFindingMatch("--[a-z]+|stray");
    }
  }

  @Test
  void aDurationBecomesAgentRoundsACycleAMinute() throws Exception {
    ChaosArgs a = ChaosArgs.parse("--duration", "10m");

    AgentFaultsConfig withNamespaces = ChaosMain.agentConfig(a, Duration.ofMinutes(5), true, Path.of("/tmp/w"));
    AgentFaultsConfig onLoopback = ChaosMain.agentConfig(a, Duration.ofSeconds(20), false, Path.of("/tmp/w"));

    assertThat(List.of(withNamespaces.kills(), withNamespaces.partitions(), withNamespaces.leaderKills()))
        .containsExactly(5, 5, 5);
    assertThat(List.of(onLoopback.kills(), onLoopback.partitions(), onLoopback.leaderKills()))
        .containsExactly(1, 0, 1);
  }
}
