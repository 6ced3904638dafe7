package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.v1.HostMetrics;

/** The leader's heartbeat table on a fake clock: its deadline queue above all. */
class FleetTest {
  private long nowNanos = 5_000_000_000L;
  private final Fleet fleet = new Fleet(() -> nowNanos);

  private void advanceMs(long ms) {
    nowNanos += ms * 1_000_000;
  }

  private void heartbeat(String node) {
    fleet.heard(node, HostMetrics.getDefaultInstance(), List.of());
  }

  @Test
  void theSilentAreTheNodesNotHeardForTheTimeAskedLongestSilentFirst() {
    heartbeat("a");
    advanceMs(300);
    heartbeat("b");
    advanceMs(300);
    fleet.touch("c");   // registering
    advanceMs(400);

    assertThat(fleet.silentFor(1_000)).containsExactly("a");
    assertThat(fleet.silentFor(700)).containsExactly("a", "b");
    assertThat(fleet.silentFor(0)).containsExactly("a", "b", "c");
    assertThat(fleet.silentFor(1_001)).isEmpty();
  }

  @Test
  void aNodeHeardAgainLeavesTheHeadOfTheQueueOnce() {
    heartbeat("a");
    heartbeat("b");
    advanceMs(2_000);

    heartbeat("a");
    fleet.touch("a");

    assertThat(fleet.silentFor(1_000)).containsExactly("b");
    assertThat(fleet.silentFor(0)).containsExactly("b", "a");
    assertThat(fleet.heartbeatAgeMs("a")).isZero();
    assertThat(fleet.heartbeatAgeMs("b")).isEqualTo(2_000);
  }

  @Test
  void aLeaderThatStepsDownForgetsEveryone() {
    heartbeat("a");
    advanceMs(5_000);

    fleet.clear();

    assertThat(fleet.silentFor(0)).isEmpty();
    assertThat(fleet.heartbeatAgeMs("a")).isEqualTo(-1);
  }
}
