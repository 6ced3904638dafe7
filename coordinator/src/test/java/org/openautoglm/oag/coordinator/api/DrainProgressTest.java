package org.openautoglm.oag.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.DrainItem;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.DrainRecord;
import org.openautoglm.oag.state.v1.DrainReport;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

class DrainProgressTest {

  private static AllocationRecord allocation(String id, String node, AllocationStatus status) {
    return AllocationRecord.newBuilder().setId(id).setNode(node).setStatus(status).build();
  }

  private static TaskRecord runningOn(String id, String node) {
    return TaskRecord.newBuilder().setId(id)
        .setAllocation(allocation(id + ".1", node, AllocationStatus.ALLOC_RUNNING)).build();
  }

  private static TaskRecord migrating(TaskRecord t, MigrationRecord.Builder m) {
    return t.toBuilder().setMigration(m.setFromNode("n1").setReason("drain")).build();
  }

  /** Make-before-break with its new instance placed on n2 and the old one still on n1. */
  private static TaskRecord replacedOnN2(MigrationRecord.Builder m) {
    AllocationRecord old = allocation("t1.1", "n1", AllocationStatus.ALLOC_RUNNING);
    return TaskRecord.newBuilder().setId("t1")
        .setAllocation(allocation("t1.2", "n2", AllocationStatus.ALLOC_RUNNING))
        .setMigration(m.setFromNode("n1").setReason("drain").setMakeBeforeBreak(true).setOld(old))
        .build();
  }

  @Test
  void aTaskNotYetMovedWaitsForItsMigrationToBegin() {
    assertThat(DrainProgress.waitingFor(runningOn("t1", "n1"), "n1")).isEqualTo("its migration to begin");
  }

  @Test
  void breakBeforeMakeAndForcedMigrationsWaitForTheInstanceHereToStop() {
    TaskRecord t = runningOn("t1", "n1");

    assertThat(DrainProgress.waitingFor(migrating(t, MigrationRecord.newBuilder()), "n1"))
        .isEqualTo("its instance here to stop");
    assertThat(DrainProgress.waitingFor(migrating(t, MigrationRecord.newBuilder().setMakeBeforeBreak(true)
        .setForced(true)), "n1")).isEqualTo("its instance here to stop");
    assertThat(DrainProgress.waitingFor(replacedOnN2(MigrationRecord.newBuilder().setForced(true)), "n1"))
        .isEqualTo("its instance here to stop");
  }

  @Test
  void makeBeforeBreakWithoutANewInstanceWaitsForANodeAndSaysWhyNoneFits() {
    TaskRecord t = runningOn("t1", "n1");

    assertThat(DrainProgress.waitingFor(migrating(t, MigrationRecord.newBuilder().setMakeBeforeBreak(true)),
        "n1")).isEqualTo("a node for its new instance");
    assertThat(DrainProgress.waitingFor(migrating(t, MigrationRecord.newBuilder().setMakeBeforeBreak(true)
        .setBlocked("insufficient memory: need 8192 MiB, largest free 4096 MiB")), "n1"))
        .isEqualTo("a node for its new instance: insufficient memory: need 8192 MiB, largest free 4096 MiB");
  }

  @Test
  void theOldInstanceWaitsForTheNewOneToBeReadyThenToStop() {
    assertThat(DrainProgress.waitingFor(replacedOnN2(MigrationRecord.newBuilder()), "n1"))
        .isEqualTo("its new instance on n2 to be ready");
    assertThat(DrainProgress.waitingFor(replacedOnN2(MigrationRecord.newBuilder().setHandedOverAtMs(5)), "n1"))
        .isEqualTo("its old instance here to stop");
  }

  @Test
  void aDrainListsEveryLiveAllocationOnTheNode() {
    NodeRecord node = NodeRecord.newBuilder().setId("n1")
        .setDrain(DrainRecord.newBuilder().setStartedAtMs(1_000).setDeadlineMs(61_000).setMigrated(1))
        .build();
    TaskRecord ended = TaskRecord.newBuilder().setId("t3")
        .setAllocation(allocation("t3.1", "n1", AllocationStatus.KILLED)).build();

    DrainStatusReply reply = DrainProgress.of(node,
        List.of(runningOn("t2", "n1"), replacedOnN2(MigrationRecord.newBuilder()), ended));

    assertThat(reply.getNodeId()).isEqualTo("n1");
    assertThat(reply.getDraining()).isTrue();
    assertThat(reply.getStartedAtMs()).isEqualTo(1_000);
    assertThat(reply.getDeadlineMs()).isEqualTo(61_000);
    assertThat(reply.getMigrated()).isEqualTo(1);
    assertThat(reply.getRemainingList()).containsExactly(
        DrainItem.newBuilder().setTaskId("t2").setAllocationId("t2.1").setState(AllocationState.ALLOCATION_RUNNING)
            .setWaitingFor("its migration to begin").build(),
        DrainItem.newBuilder().setTaskId("t1").setAllocationId("t1.1").setState(AllocationState.ALLOCATION_RUNNING)
            .setWaitingFor("its new instance on n2 to be ready").build());
    assertThat(reply.hasLast()).isFalse();
  }

  @Test
  void aNodeNotDrainingWaitsForNothingAndShowsItsLastDrain() {
    NodeRecord node = NodeRecord.newBuilder().setId("n1")
        .setLastDrain(DrainReport.newBuilder().setStartedAtMs(10).setEndedAtMs(20).setOutcome("cancelled"))
        .build();

    DrainStatusReply reply = DrainProgress.of(node, List.of(runningOn("t2", "n1")));

    assertThat(reply.getDraining()).isFalse();
    assertThat(reply.getRemainingList()).isEmpty();
    assertThat(reply.getStartedAtMs()).isZero();
    assertThat(reply.getLast().getOutcome()).isEqualTo("cancelled");
    assertThat(reply.getLast().getEndedAtMs()).isEqualTo(20);
  }
}
