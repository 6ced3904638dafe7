package org.openautoglm.oag.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.DrainRecord;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

class DrainPlannerTest {
  private static final NodeRecord DRAINING = NodeRecord.newBuilder().setId("n1")
      .setDrain(DrainRecord.newBuilder().setStartedAtMs(1_000).setDeadlineMs(60_000)).build();

  private static TaskRecord on(String id, String node) {
    return TaskRecord.newBuilder().setId(id).setDesired(Desired.RUN).setVersion(7)
        .setAllocation(AllocationRecord.newBuilder().setId(id + ".1").setGeneration(1).setNode(node)
            .setStatus(AllocationStatus.ALLOC_RUNNING))
        .build();
  }

  @Test
  void aNodeThatIsNotDrainingNeedsNothing() {
    assertThat(DrainPlanner.plan(NodeRecord.newBuilder().setId("n1").build(), List.of(on("t1", "n1")), 5_000))
        .isEqualTo(DrainPlanner.Step.NOTHING);
  }

  @Test
  void everyTaskWithoutAMigrationBeginsOneAtTheVersionSeen() {
    TaskRecord migrating = on("t2", "n1").toBuilder().setMigration(MigrationRecord.newBuilder().setFromNode("n1"))
        .build();
    TaskRecord stopping = on("t3", "n1").toBuilder().setDesired(Desired.STOP).build();

    DrainPlanner.Step step = DrainPlanner.plan(DRAINING, List.of(on("t1", "n1"), migrating, stopping), 5_000);

    assertThat(step.finished()).isFalse();
    assertThat(step.migrations()).containsExactly(Migration.newBuilder().setTaskId("t1").setExpectedVersion(7)
        .setReason("drain").build());
  }

  @Test
  void aTaskWhoseMigrationWasJustGivenUpIsTriedAgainOnlyAfterAWhile() {
    TaskRecord recent = on("t1", "n1").toBuilder().setLastMigratedAtMs(4_000).build();

    assertThat(DrainPlanner.plan(DRAINING, List.of(recent), 5_000).migrations()).isEmpty();
    assertThat(DrainPlanner.plan(DRAINING, List.of(recent), 4_000 + DrainPlanner.RETRY_AFTER_MS).migrations())
        .hasSize(1);
  }

  @Test
  void pastTheDeadlineWhatIsLeftIsForcedOnce() {
    TaskRecord migrating = on("t2", "n1").toBuilder().setMigration(MigrationRecord.newBuilder().setFromNode("n1"))
        .build();
    TaskRecord forced = on("t3", "n1").toBuilder().setMigration(MigrationRecord.newBuilder().setFromNode("n1")
        .setForced(true)).build();

    DrainPlanner.Step step = DrainPlanner.plan(DRAINING, List.of(on("t1", "n1"), migrating, forced), 60_000);

    assertThat(step.migrations()).extracting(Migration::getTaskId).containsExactly("t1", "t2");
    assertThat(step.migrations()).allSatisfy(m -> assertThat(m.getForce()).isTrue());
  }

  @Test
  void nothingLeftFinishesTheDrain() {
    assertThat(DrainPlanner.plan(DRAINING, List.of(), 5_000).finished()).isTrue();
  }
}
