package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.Rejection;
import org.openautoglm.oag.command.v1.SetNodeEligibility;
import org.openautoglm.oag.command.v1.WaitReason;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class PlaceTasksApplierTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
    // Room for two of the fixture's 500 millis / 1 GiB tasks, and one GPU.
    feed.one(1, register(1, 1_000, node("n1", "b1", 1_000, 2_048, 1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TaskRecord submitted(TaskSpecRecord spec) throws IOException {
    return feed.one(1, submit(header(1, 1_000), spec, true)).getTask();
  }

  private TaskRecord submitted(String name) throws IOException {
    return submitted(spec(name));
  }

  private CommandResult placeOn(String node, TaskRecord... tasks) throws IOException {
    Placement[] placements = new Placement[tasks.length];
    for (int i = 0; i < tasks.length; i++) {
      placements[i] = placement(tasks[i].getId(), node, tasks[i].getVersion());
    }
    return feed.one(1, place(1, 2_000, placements));
  }

  @Test
  void aFittingTaskGetsItsFirstAllocation() throws IOException {
    TaskRecord t1 = submitted("a");

    CommandResult r = placeOn("n1", t1);

    assertEquals(Code.OK, r.getCode());
    assertEquals("placed 1", r.getMessage());
    assertFalse(r.hasTask());
    TaskRecord placed = store.task(t1.getId()).orElseThrow();
    assertEquals(TaskStatus.SCHEDULED, placed.getStatus());
    assertEquals("n1", placed.getNode());
    assertEquals("placed on n1", placed.getMessage());
    assertEquals(feed.index, placed.getVersion());
    assertEquals(2_000, placed.getUpdatedAtMs());
    assertEquals(AllocationRecord.newBuilder().setId(t1.getId() + ".1").setGeneration(1).setNode("n1")
        .setStatus(AllocationStatus.ASSIGNED).setPlacedAtMs(2_000).build(), placed.getAllocation());
    assertEquals(new NodeUsage(500, 1_024, 0, 1), store.used("n1"));
    assertEquals(List.of(placed), store.tasksOnNode("n1"));
    assertTrue(store.pendingTasks(10).isEmpty());
    List<EventRecord> events = store.events(feed.index - 1, -1, 10);
    assertEquals(List.of("allocation.assigned", "task.scheduled"), events.stream().map(EventRecord::getType).toList());
    assertEquals(t1.getId() + ".1", events.get(1).getAllocationId());
    assertEquals("n1", events.get(1).getNode());
  }

  @Test
  void aWaitReasonBecomesThePendingTasksMessageOnceAndOnlyAtTheVersionDecidedOn() throws IOException {
    TaskRecord t = submitted("big");
    String why = "insufficient memory: need 4096 MiB, largest free 2048 MiB on 1 eligible node";
    WaitReason reason = WaitReason.newBuilder().setTaskId(t.getId()).setExpectedVersion(t.getVersion())
        .setReason(why).build();

    CommandResult r = feed.one(1, waiting(reason));

    assertEquals("placed 0, 1 wait reasons recorded", r.getMessage());
    TaskRecord waiting = store.task(t.getId()).orElseThrow();
    assertEquals(TaskStatus.PENDING, waiting.getStatus());
    assertEquals(why, waiting.getMessage());
    assertEquals(List.of("task.waiting"), store.events(feed.index - 1, -1, 10).stream()
        .map(EventRecord::getType).toList());
    long version = waiting.getVersion();

    // The same reason again, or one decided on an older version, changes nothing.
    assertEquals("placed 0", feed.one(1, waiting(reason.toBuilder().setExpectedVersion(version).build()))
        .getMessage());
    assertEquals("placed 0", feed.one(1, waiting(reason.toBuilder().setReason("other").build()))
        .getMessage());
    assertEquals(version, store.task(t.getId()).orElseThrow().getVersion());
  }

  private static org.openautoglm.oag.command.v1.Command waiting(WaitReason reason) {
    org.openautoglm.oag.command.v1.Command c = place(1, 3_000);
    return c.toBuilder().setPlaceTasks(c.getPlaceTasks().toBuilder().addWaiting(reason)).build();
  }

  @Test
  void placementsOfOneCommandSeeEachOthersUse() throws IOException {
    TaskRecord a = submitted("a");
    TaskRecord b = submitted("b");
    TaskRecord c = submitted("c");

    CommandResult r = placeOn("n1", a, b, c);

    assertEquals("placed 2, skipped 1: " + c.getId() + " does not fit n1: cpu_millis 500 > free 0", r.getMessage());
    assertEquals(TaskStatus.PENDING, store.task(c.getId()).orElseThrow().getStatus());
    assertEquals(new NodeUsage(1_000, 2_048, 0, 2), store.used("n1"));
    assertEquals(List.of(c), store.pendingTasks(10));
  }

  @Test
  void memoryAndGpusAreCheckedToo() throws IOException {
    TaskRecord big = submitted(spec("big").toBuilder().setCpuMillis(0).setMemoryMib(4_096).build());
    TaskRecord gpu1 = submitted(spec("g1").toBuilder().setCpuMillis(0).setMemoryMib(0).setGpus(1).build());
    TaskRecord gpu2 = submitted(spec("g2").toBuilder().setCpuMillis(0).setMemoryMib(0).setGpus(1).build());

    CommandResult r = placeOn("n1", big, gpu1, gpu2);

    assertEquals("placed 1, skipped 2: " + big.getId() + " does not fit n1: memory_mib 4096 > free 2048; "
        + gpu2.getId() + " does not fit n1: gpus 1 > free 0", r.getMessage());
    assertEquals(new NodeUsage(0, 0, 1, 1), store.used("n1"));
  }

  @Test
  void stalePlacementsAreSkippedWithTheReason() throws IOException {
    TaskRecord t = submitted("a");
    CommandResult r = feed.one(1, place(1, 2_000,
        placement(t.getId(), "n1", t.getVersion() - 1),
        placement(t.getId(), "n9", t.getVersion()),
        placement("t99", "n1", 1)));

    assertEquals("placed 0, skipped 3: " + t.getId() + " version changed (expected " + (t.getVersion() - 1)
        + ", is " + t.getVersion() + "); " + t.getId() + " node n9 unknown; t99 not found", r.getMessage());
    assertEquals(t, store.task(t.getId()).orElseThrow());
    assertEquals(NodeUsage.NONE, store.used("n1"));
  }

  @Test
  void aTaskIsPlacedOnceEvenWhenTheSamePlacementComesTwice() throws IOException {
    TaskRecord t = submitted("a");
    CommandResult r = placeOn("n1", t, t);
    assertEquals("placed 1, skipped 1: " + t.getId() + " is SCHEDULED, not PENDING", r.getMessage());
    assertEquals(1, store.tasksOnNode("n1").size());
  }

  @Test
  void capacityFreedByAnEndedAllocationCanBeUsedAgain() throws IOException {
    TaskRecord a = submitted("a");
    TaskRecord b = submitted("b");
    TaskRecord c = submitted("c");
    placeOn("n1", a, b);
    feed.one(1, reports(1, 3_000, "n1", report(a.getId(), 1, AllocationStatus.EXITED).setExited(true)));
    assertEquals(new NodeUsage(500, 1_024, 0, 1), store.used("n1"));

    assertEquals("placed 1", placeOn("n1", c).getMessage());
    assertEquals(List.of(b.getId(), c.getId()), store.tasksOnNode("n1").stream().map(TaskRecord::getId).toList());
  }

  @Test
  void invalidPlacementsNameTheField() throws IOException {
    CommandResult r = feed.one(1, place(1, 1, placement("x1", "n1", 1)));
    assertEquals(Code.INVALID_ARGUMENT, r.getCode());
    assertEquals("placements[0].task_id", r.getField());
    r = feed.one(1, place(1, 1, placement("t1", "n 1", 1)));
    assertEquals("placements[0].node", r.getField());
  }

  /** Placement over hand-made state: states no command leads to yet (a node DOWN, a re-placement). */
  @Test
  void aReplacedTaskGetsTheNextGenerationAndADownNodeNothing() {
    Fixtures.MemoryTasks tasks = new Fixtures.MemoryTasks();
    NodeViews nodes = new NodeViews();
    nodes.put(NodeRecord.newBuilder().setId("up").setStatus(NodeStatus.UP)
        .setCapacity(node("up", "b", 4_000, 8_192, 0).getCapacity()).build());
    nodes.put(NodeRecord.newBuilder().setId("down").setStatus(NodeStatus.DOWN)
        .setCapacity(node("down", "b", 4_000, 8_192, 0).getCapacity()).build());
    AllocationRecord lost = AllocationRecord.newBuilder().setId("t1.3").setGeneration(3).setNode("down")
        .setStatus(AllocationStatus.ALLOC_LOST).setEndedAtMs(6_000).build();
    tasks.put(1, Fixtures.task(1, TaskStatus.PENDING, "down").toBuilder().setAllocation(lost).build());
    tasks.put(2, Fixtures.task(2, TaskStatus.PENDING, "").toBuilder()
        .setAllocation(lost.toBuilder().setId("t2.3").setStatus(AllocationStatus.ALLOC_RUNNING)).build());
    tasks.put(3, Fixtures.task(3, TaskStatus.PENDING, ""));
    tasks.put(4, Fixtures.task(4, TaskStatus.PENDING, "").toBuilder()
        .setAllocation(lost.toBuilder().setId("t4.3")).build());
    WorkingSet ws = new WorkingSet(tasks.views, nodes, new DedupeTable(k -> null), new EventLog(), 40, 7_000, 10);

    CommandResult r = new PlaceTasksApplier().apply(ws, PlaceTasks.newBuilder()
        .addPlacements(placement("t1", "up", 1).toBuilder().setPreviousGeneration(3))
        .addPlacements(placement("t2", "up", 1).toBuilder().setPreviousGeneration(3))
        .addPlacements(placement("t3", "down", 1))
        .addPlacements(placement("t4", "up", 1).toBuilder().setPreviousGeneration(2)).build());

    assertEquals("placed 1, skipped 3: t2 previous allocation t2.3 is running, not ended; "
        + "t3 node down is DOWN; t4 generation changed (expected 2, is 3)", r.getMessage());
    assertEquals(List.of(
        Rejection.newBuilder().setTaskId("t2").setNode("up").setReason("previous allocation t2.3 is running, not ended").build(),
        Rejection.newBuilder().setTaskId("t3").setNode("down").setReason("node down is DOWN").build(),
        Rejection.newBuilder().setTaskId("t4").setNode("up").setReason("generation changed (expected 2, is 3)").build()),
        r.getRejectedList());
    AllocationRecord next = ws.task(1).getAllocation();
    assertEquals("t1.4", next.getId());
    assertEquals(4, next.getGeneration());
    assertEquals(List.of(lost), ws.task(1).getPreviousAllocationsList());
    assertEquals("up", ws.task(1).getNode());
    assertEquals(40, ws.task(1).getVersion());
    assertEquals(new NodeUsage(500, 1_024, 0, 1), ws.used("up"));
    assertEquals(Set.of("down", "up"), ws.touchedNodes());
  }

  @Test
  void aTaskKeepsItsLastAllocationsOldestFirstAndCountsTheRest() {
    TaskRecord task = Fixtures.task(1, TaskStatus.PENDING, "");
    for (int g = 1; g <= TaskStates.MAX_PREVIOUS_ALLOCATIONS + 3; g++) {
      task = TaskStates.withAllocation(task, AllocationRecord.newBuilder().setId("t1." + g).setGeneration(g)
          .setStatus(AllocationStatus.EXITED).build()).build();
    }

    assertEquals("t1.13", task.getAllocation().getId());
    assertEquals(TaskStates.MAX_PREVIOUS_ALLOCATIONS, task.getPreviousAllocationsCount());
    assertEquals("t1.3", task.getPreviousAllocations(0).getId());
    assertEquals("t1.12", task.getPreviousAllocations(TaskStates.MAX_PREVIOUS_ALLOCATIONS - 1).getId());
    assertEquals(2, task.getPreviousAllocationsDropped());
  }

  @Test
  void aCordonedNodeGetsNothingNewAndKeepsWhatItHas() throws IOException {
    TaskRecord a = submitted("a");
    TaskRecord b = submitted("b");
    placeOn("n1", a);

    CommandResult cordoned = feed.one(1, eligibility("n1", NodeEligibility.CORDONED));
    CommandResult r = placeOn("n1", b);

    assertEquals(NodeEligibility.CORDONED, cordoned.getNode().getEligibility());
    assertEquals("placed 0, skipped 1: " + b.getId() + " node n1 is cordoned", r.getMessage());
    assertEquals(TaskStatus.SCHEDULED, store.task(a.getId()).orElseThrow().getStatus());
    assertEquals(TaskStatus.PENDING, store.task(b.getId()).orElseThrow().getStatus());

    feed.one(1, eligibility("n1", NodeEligibility.ELIGIBLE));
    assertEquals("placed 1", placeOn("n1", b).getMessage());
  }

  @Test
  void aPlanDecidedOnTheSameSnapshotAsAnAppliedOneLosesOnlyWhatNoLongerFits() throws IOException {
    TaskRecord a = submitted("a");
    TaskRecord b = submitted("b");
    TaskRecord c = submitted("c");
    // Two plans made on one snapshot (n1 empty): the first takes a and b, filling n1.
    assertEquals("placed 2", placeOn("n1", a, b).getMessage());
    TaskRecord d = submitted(spec("d").toBuilder().setCpuMillis(0).setMemoryMib(0).build());

    CommandResult second = placeOn("n1", c, d);

    assertEquals(List.of(Rejection.newBuilder().setTaskId(c.getId()).setNode("n1")
        .setReason("does not fit n1: cpu_millis 500 > free 0").build()), second.getRejectedList());
    assertEquals(TaskStatus.SCHEDULED, store.task(d.getId()).orElseThrow().getStatus());
    assertEquals(List.of(c), store.pendingTasks(10));
  }

  private static org.openautoglm.oag.command.v1.Command eligibility(String node, NodeEligibility e) {
    return org.openautoglm.oag.command.v1.Command.newBuilder().setHeader(header(1, 2_500))
        .setSetNodeEligibility(SetNodeEligibility.newBuilder().setNodeId(node).setEligibility(e)).build();
  }
}
