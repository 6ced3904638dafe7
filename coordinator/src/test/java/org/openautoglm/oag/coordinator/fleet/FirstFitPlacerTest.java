package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.coordinator.fleet.FirstFitPlacer.Free;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

class FirstFitPlacerTest {

  private static TaskRecord task(String id, int cpu, long mem, int gpus, long version) {
    return TaskRecord.newBuilder().setId(id).setVersion(version)
        .setSpec(TaskSpecRecord.newBuilder().setCommand("sleep").setCpuMillis(cpu).setMemoryMib(mem).setGpus(gpus))
        .build();
  }

  @Test
  void placesEachTaskOnTheFirstNodeWithRoomAndCountsWhatEarlierPlacementsTook() {
    List<Placement> placed = FirstFitPlacer.place(
        List.of(task("T1", 1500, 100, 0, 7), task("T2", 1000, 100, 0, 8), task("T3", 100, 100, 1, 9)),
        List.of(new Free("a", 2000, 1000, 0), new Free("b", 2000, 1000, 1)));

    assertThat(placed).extracting(Placement::getTaskId, Placement::getNode, Placement::getExpectedVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("T1", "a", 7L),
            org.assertj.core.groups.Tuple.tuple("T2", "b", 8L),   // a has 500 millicores left
            org.assertj.core.groups.Tuple.tuple("T3", "b", 9L));  // only b has a GPU
  }

  @Test
  void aTaskThatFitsNowhereIsLeftPendingWithoutBlockingSmallerOnes() {
    List<Placement> placed = FirstFitPlacer.place(
        List.of(task("BIG", 0, 4096, 0, 1), task("SMALL", 0, 512, 0, 2)),
        List.of(new Free("a", 1000, 1024, 0)));

    assertThat(placed).extracting(Placement::getTaskId).containsExactly("SMALL");
  }

  @Test
  void noNodesNoPlacements() {
    assertThat(FirstFitPlacer.place(List.of(task("T1", 0, 0, 0, 1)), List.of())).isEmpty();
  }
}
