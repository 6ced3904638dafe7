package org.openautoglm.oag.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.SilentNode;
import org.openautoglm.oag.coordinator.failover.SilenceJudge.Silence;
import org.openautoglm.oag.coordinator.failover.SilenceJudge.Verdict;
import org.openautoglm.oag.coordinator.state.FailoverSettings;

class SilenceJudgeTest {
  /** TTL 6 s, available TTL 2 s, storm guard above 50 %. */
  private static final FailoverSettings S = new FailoverSettings(5_000, 6_000, 2_000, 10_000, 200, 50, 3);

  private static Silence heard(String node, long silentMs) {
    return new Silence(node, "boot-" + node, silentMs, true);
  }

  private static List<String> down(Verdict v) {
    return v.nodes().stream().filter(SilentNode::getDown).map(SilentNode::getNodeId).toList();
  }

  private static List<String> availableOnly(Verdict v) {
    return v.nodes().stream().filter(n -> !n.getDown()).map(SilentNode::getNodeId).toList();
  }

  @Test
  void nodesHeardWithinTheAvailableTtlAreLeftAlone() {
    Verdict v = SilenceJudge.judge(List.of(heard("a", 0), heard("b", 1_999), heard("c", 500)), 3, S, false);

    assertThat(v.isEmpty()).isTrue();
  }

  @Test
  void pastTheAvailableTtlOnlyAvailableWorkMovesAndPastTheTtlTheNodeIsDown() {
    Verdict v = SilenceJudge.judge(List.of(heard("a", 2_000), heard("b", 100), heard("c", 6_000),
        new Silence("d", "boot-d", 3_000, false), heard("e", 0), heard("f", 0)), 6, S, false);

    assertThat(availableOnly(v)).containsExactly("a");
    assertThat(down(v)).containsExactly("c");
    assertThat(v.nodes().get(1).getBootId()).isEqualTo("boot-c");
    assertThat(v.nodes().get(1).getSilentMs()).isEqualTo(6_000);
    assertThat(v.stormGuard()).isNull();
  }

  @Test
  void oneSilentNodeIsNeverAStormEvenInATwoNodeCluster() {
    Verdict v = SilenceJudge.judge(List.of(heard("a", 10_000)), 2, S, false);

    assertThat(down(v)).containsExactly("a");
    assertThat(v.stormGuard()).isNull();
  }

  @Test
  void moreThanHalfTheNodesSilentAtOnceIsAStormNobodyIsDeclaredDown() {
    List<Silence> fleet = List.of(heard("a", 7_000), heard("b", 7_000), heard("c", 2_500), heard("d", 0));

    Verdict on = SilenceJudge.judge(fleet, 4, S, false);
    Verdict stillOn = SilenceJudge.judge(fleet, 4, S, true);

    assertThat(on.nodes()).isEmpty();
    assertThat(on.stormGuard()).isTrue();
    assertThat(on.stormReason()).isEqualTo("3 of 4 nodes silent for 2000 ms or more (more than 2): declaring none down");
    assertThat(stillOn.isEmpty()).isTrue();
  }

  @Test
  void theGuardGoesOffWhenHeartbeatsReturnAndTheRealDeadAreThenDeclared() {
    Verdict v = SilenceJudge.judge(List.of(heard("a", 9_000)), 4, S, true);   // b, c, d heard lately

    assertThat(v.stormGuard()).isFalse();
    assertThat(v.stormReason()).isEqualTo("heartbeats back: 1 of 4 nodes silent");
    assertThat(down(v)).containsExactly("a");
  }
}
