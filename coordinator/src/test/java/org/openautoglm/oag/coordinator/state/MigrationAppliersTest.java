package org.openautoglm.oag.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.place;
import static org.openautoglm.oag.coordinator.state.Fixtures.placement;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;
import static org.openautoglm.oag.coordinator.state.Fixtures.report;
import static org.openautoglm.oag.coordinator.state.Fixtures.reports;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.DrainNode;
import org.openautoglm.oag.command.v1.FinishDrain;
import org.openautoglm.oag.command.v1.MigrateTasks;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.command.v1.NodesSilent;
import org.openautoglm.oag.command.v1.SilentNode;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** Drains and migrations through the real store: DrainNode, MigrateTasks, FinishDrain and their reports. */
class MigrationAppliersTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
    feed.apply(1, register(1, 1_000, node("n1", "b1", 8_000, 16_384, 0)),
        register(1, 1_000, node("n2", "b1", 8_000, 16_384, 0)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TaskRecord running(String name, boolean readiness) throws IOException {
    var s = spec(name).toBuilder();
    if (readiness) {
      s.setFencing(Fencing.AVAILABLE).setReadiness(ReadinessRecord.newBuilder().setTcpPort(8080));
    }
    TaskRecord t = feed.one(1, submit(header(1, 1_000), s.build(), true)).getTask();
    feed.one(1, place(1, 2_000, placement(t.getId(), "n1", t.getVersion())));
    feed.one(1, reports(1, 2_100, "n1", report(t.getId(), 1, AllocationStatus.ALLOC_RUNNING).setReady(true)));
    return get(t);
  }

  private TaskRecord get(TaskRecord t) {
    return store.task(t.getId()).orElseThrow();
  }

  private CommandResult drain(String node, long deadlineMs) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 3_000))
        .setDrainNode(DrainNode.newBuilder().setNodeId(node).setDeadlineMs(deadlineMs)).build());
  }

  private CommandResult migrate(TaskRecord t, boolean force) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 4_000)).setMigrateTasks(MigrateTasks.newBuilder()
        .addMigrations(Migration.newBuilder().setTaskId(t.getId()).setExpectedVersion(get(t).getVersion())
            .setReason("drain").setForce(force))).build());
  }

  private CommandResult finish(String node) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 9_000))
        .setFinishDrain(FinishDrain.newBuilder().setNodeId(node)).build());
  }

  @Test
  void aDrainCordonsTheNodeAndCountsTheMigrationsItBegins() throws IOException {
    TaskRecord t = running("a", false);

    NodeRecord node = drain("n1", 60_000).getNode();

    assertThat(node.getEligibility()).isEqualTo(NodeEligibility.CORDONED);
    assertThat(node.getDrain().getStartedAtMs()).isEqualTo(3_000);
    assertThat(node.getDrain().getDeadlineMs()).isEqualTo(60_000);
    assertThat(migrate(t, false).getRejectedCount()).isZero();
    assertThat(store.node("n1").orElseThrow().getDrain().getMigrated()).isEqualTo(1);
    assertThat(migrate(t, false).getRejected(0).getReason()).contains("already migrating off n1");
  }

  @Test
  void breakBeforeMakeStopsTheInstanceThenTheTaskWaitsForAnotherNode() throws IOException {
    TaskRecord t = running("exclusive", false);
    drain("n1", 0);
    migrate(t, false);

    TaskRecord migrating = get(t);
    assertThat(migrating.getMigration().getMakeBeforeBreak()).isFalse();
    assertThat(Migrations.desired(migrating, migrating.getAllocation())).isEqualTo(Desired.STOP);
    assertThat(store.pendingTasks(10)).isEmpty();

    feed.one(1, reports(1, 5_000, "n1", report(t.getId(), 1, AllocationStatus.KILLED)));
    TaskRecord stopped = get(t);
    assertThat(stopped.getStatus()).isEqualTo(TaskStatus.PENDING);
    assertThat(stopped.getMessage()).contains("stopped there; waiting for a node");
    assertThat(store.pendingTasks(10)).extracting(TaskRecord::getId).containsExactly(t.getId());
    assertThat(store.used("n1")).isEqualTo(NodeUsage.NONE);

    assertThat(finish("n1").getCode()).isEqualTo(CommandResult.Code.OK);
    assertThat(store.node("n1").orElseThrow().getLastDrain().getOutcome()).isEqualTo("complete");
    feed.one(1, Command.newBuilder().setHeader(header(1, 9_500)).setSetNodeEligibility(
        org.openautoglm.oag.command.v1.SetNodeEligibility.newBuilder().setNodeId("n1")
            .setEligibility(NodeEligibility.ELIGIBLE)).build());
    CommandResult back = feed.one(1, place(1, 10_000, placement(t.getId(), "n1", get(t).getVersion())
        .toBuilder().setPreviousGeneration(1).build()));
    assertThat(back.getRejected(0).getReason()).contains("the one the task migrates off");

    feed.one(1, place(1, 10_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(1).build()));
    TaskRecord moved = get(t);
    assertThat(moved.getStatus()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(moved.getAllocation().getNode()).isEqualTo("n2");
    assertThat(moved.getAllocation().getGeneration()).isEqualTo(2);
    assertThat(moved.hasMigration()).isFalse();
  }

  @Test
  void makeBeforeBreakRunsTheNewInstanceUntilItIsReadyThenStopsTheOld() throws IOException {
    TaskRecord t = running("served", true);
    drain("n1", 0);
    migrate(t, false);
    assertThat(get(t).getMigration().getMakeBeforeBreak()).isTrue();
    assertThat(store.pendingTasks(10)).extracting(TaskRecord::getId).containsExactly(t.getId());

    feed.one(1, place(1, 5_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(1).build()));
    TaskRecord both = get(t);
    assertThat(both.getStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(both.getAllocation().getNode()).isEqualTo("n2");
    assertThat(both.getMigration().getOld().getNode()).isEqualTo("n1");
    assertThat(store.pendingTasks(10)).isEmpty();
    assertThat(store.used("n1").tasks()).isEqualTo(1);
    assertThat(store.used("n2").tasks()).isEqualTo(1);
    assertThat(store.tasksOnNode("n1")).extracting(TaskRecord::getId).containsExactly(t.getId());
    assertThat(Migrations.desired(both, both.getMigration().getOld())).isEqualTo(Desired.RUN);

    feed.one(1, reports(1, 6_000, "n2", report(t.getId(), 2, AllocationStatus.ALLOC_RUNNING)));
    assertThat(get(t).getMigration().getHandedOverAtMs()).isZero();
    assertThat(get(t).getStatus()).isEqualTo(TaskStatus.RUNNING);

    feed.one(1, reports(1, 7_000, "n2", report(t.getId(), 2, AllocationStatus.ALLOC_RUNNING).setReady(true)));
    TaskRecord handedOver = get(t);
    assertThat(handedOver.getMigration().getHandedOverAtMs()).isEqualTo(7_000);
    assertThat(Migrations.desired(handedOver, handedOver.getMigration().getOld())).isEqualTo(Desired.STOP);
    assertThat(finish("n1").getCode()).isEqualTo(CommandResult.Code.FAILED_PRECONDITION);

    feed.one(1, reports(1, 8_000, "n1", report(t.getId(), 1, AllocationStatus.KILLED)));
    TaskRecord done = get(t);
    assertThat(done.hasMigration()).isFalse();
    assertThat(done.getMessage()).isEqualTo("moved off n1 to n2 (drain)");
    assertThat(done.getPreviousAllocationsList()).extracting(a -> a.getGeneration()).containsExactly(1L);
    assertThat(store.used("n1")).isEqualTo(NodeUsage.NONE);
    assertThat(store.tasksOnNode("n1")).isEmpty();
    assertThat(finish("n1").getCode()).isEqualTo(CommandResult.Code.OK);
  }

  @Test
  void aNewInstanceThatEndsBeforeItIsReadyGivesTheMigrationUp() throws IOException {
    TaskRecord t = running("served", true);
    migrate(t, false);
    feed.one(1, place(1, 5_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(1).build()));

    feed.one(1, reports(1, 6_000, "n2", report(t.getId(), 2, AllocationStatus.ALLOC_FAILED).setReason("bad port")));

    TaskRecord back = get(t);
    assertThat(back.hasMigration()).isFalse();
    assertThat(back.getAllocation().getGeneration()).isEqualTo(1);
    assertThat(back.getAllocation().getNode()).isEqualTo("n1");
    assertThat(back.getStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(back.getMessage()).contains("given up").contains("bad port");
    assertThat(store.used("n2")).isEqualTo(NodeUsage.NONE);
    // The next allocation takes a generation above the failed one.
    assertThat(Migrations.nextGeneration(back)).isEqualTo(3);
  }

  @Test
  void aTaskIsNotPlacedAgainWhileTheOldInstanceOfItsMigrationStillStops() throws IOException {
    TaskRecord t = running("served", true);
    migrate(t, false);
    feed.one(1, place(1, 5_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(1).build()));
    feed.one(1, reports(1, 6_000, "n2", report(t.getId(), 2, AllocationStatus.ALLOC_RUNNING).setReady(true)));
    // Handed over; then the new instance fails for good and the task waits for a node again.
    feed.one(1, reports(1, 6_500, "n2", report(t.getId(), 2, AllocationStatus.ALLOC_FAILED)));
    assertThat(get(t).getStatus()).isEqualTo(TaskStatus.PENDING);

    CommandResult early = feed.one(1, place(1, 7_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(2).build()));
    assertThat(early.getRejected(0).getReason()).contains("old instance " + t.getId() + ".1 on n1 is still stopping");

    feed.one(1, reports(1, 7_500, "n1", report(t.getId(), 1, AllocationStatus.KILLED)));
    CommandResult placed = feed.one(1, place(1, 8_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(2).build()));
    assertThat(placed.getRejectedList()).isEmpty();
    assertThat(get(t).getAllocation().getGeneration()).isEqualTo(3);
  }

  @Test
  void atTheDeadlineWhatIsLeftIsStoppedAndTheReportSaysSo() throws IOException {
    TaskRecord t = running("served", true);
    drain("n1", 5_000);
    migrate(t, true);

    TaskRecord forced = get(t);
    assertThat(Migrations.desired(forced, forced.getAllocation())).isEqualTo(Desired.STOP);
    assertThat(store.node("n1").orElseThrow().getDrain().getStoppedAtDeadlineList()).containsExactly(t.getId());
    feed.one(1, reports(1, 6_000, "n1", report(t.getId(), 1, AllocationStatus.KILLED)));
    assertThat(get(t).getStatus()).isEqualTo(TaskStatus.PENDING);

    finish("n1");
    var report = store.node("n1").orElseThrow().getLastDrain();
    assertThat(report.getOutcome()).isEqualTo("deadline");
    assertThat(report.getStoppedAtDeadlineList()).containsExactly(t.getId());
    assertThat(store.node("n1").orElseThrow().hasDrain()).isFalse();
  }

  @Test
  void theOldInstanceOnANodeDeclaredDownEndsTheMigration() throws IOException {
    TaskRecord t = running("served", true);
    migrate(t, false);
    feed.one(1, place(1, 5_000, placement(t.getId(), "n2", get(t).getVersion()).toBuilder()
        .setPreviousGeneration(1).build()));

    feed.one(1, Command.newBuilder().setHeader(header(1, 9_000)).setNodesSilent(NodesSilent.newBuilder()
        .addNodes(SilentNode.newBuilder().setNodeId("n1").setBootId("b1").setDown(true).setSilentMs(6_000)))
        .build());

    TaskRecord after = get(t);
    assertThat(after.hasMigration()).isFalse();
    assertThat(after.getAllocation().getNode()).isEqualTo("n2");
    assertThat(after.getPreviousAllocations(0).getStatus()).isEqualTo(AllocationStatus.ALLOC_LOST);
    assertThat(store.used("n1")).isEqualTo(NodeUsage.NONE);
  }

  @Test
  void cancellingADrainKeepsTheNodeCordonedAndReportsIt() throws IOException {
    drain("n1", 0);

    NodeRecord node = feed.one(1, Command.newBuilder().setHeader(header(1, 4_000))
        .setDrainNode(DrainNode.newBuilder().setNodeId("n1").setCancel(true)).build()).getNode();

    assertThat(node.hasDrain()).isFalse();
    assertThat(node.getEligibility()).isEqualTo(NodeEligibility.CORDONED);
    assertThat(node.getLastDrain().getOutcome()).isEqualTo("cancelled");
  }
}
