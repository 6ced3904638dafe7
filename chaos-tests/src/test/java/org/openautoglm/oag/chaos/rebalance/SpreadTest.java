package org.openautoglm.oag.chaos.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.chaos.failover.Placement;

class SpreadTest {
  private static Node node(String id) {
    return Node.newBuilder().setId(id).setCapacity(Resources.newBuilder().setCpuMillis(2000).setMemoryMib(2048))
        .build();
  }

  private static Placement on(String task, String node) {
    return new Placement(task, TaskState.RUNNING, node, 1, task + ".1", AllocationState.ALLOCATION_RUNNING, 1);
  }

  @Test
  void weighsEachNodeByTheLargerOfCpuAndMemoryInUse() {
    Spread s = Spread.of(List.of(on("t1", "a1"), on("t2", "a1"), on("t3", "a1"), on("t4", "a2")),
        List.of(node("a1"), node("a2")), 250, 64);

    assertThat(s.counts()).containsEntry("a1", 3).containsEntry("a2", 1);
    assertThat(s.shares().get("a1")).isEqualTo(37.5);
    assertThat(s.points()).isEqualTo(25.0);
    assertThat(s.within(20)).isFalse();
    assertThat(s.within(25)).isTrue();
  }

  @Test
  void aNodeWithNoTasksCountsAsEmptyAndTasksElsewhereAreLeftOut() {
    Spread s = Spread.of(List.of(on("t1", "a1"), on("t2", "a3")), List.of(node("a1"), node("a2")), 1000, 1024);

    assertThat(s.counts()).containsOnlyKeys("a1", "a2").containsEntry("a2", 0);
    assertThat(s.points()).isEqualTo(50.0);
  }
}
