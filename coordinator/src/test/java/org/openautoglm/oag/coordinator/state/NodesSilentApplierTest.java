package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.place;
import static org.openautoglm.oag.coordinator.state.Fixtures.placement;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.NodesSilent;
import org.openautoglm.oag.command.v1.SilentNode;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class NodesSilentApplierTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;
  private TaskRecord exclusive;
  private TaskRecord available;
  private TaskRecord elsewhere;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
    feed.apply(1, register(1, 1_000, node("n1", "b1", 8_000, 16_384, 0)),
        register(1, 1_000, node("n2", "b1", 8_000, 16_384, 0)));
    exclusive = placed("exclusive", Fencing.EXCLUSIVE, "n1");
    available = placed("available", Fencing.AVAILABLE, "n1");
    elsewhere = placed("elsewhere", Fencing.AVAILABLE, "n2");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TaskRecord placed(String name, Fencing fencing, String node) throws IOException {
    TaskRecord t = feed.one(1, submit(header(1, 1_000), spec(name).toBuilder().setFencing(fencing).build(), true))
        .getTask();
    feed.one(1, place(1, 2_000, placement(t.getId(), node, t.getVersion())));
    return store.task(t.getId()).orElseThrow();
  }

  private CommandResult silent(String node, String boot, boolean down) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 9_000)).setNodesSilent(NodesSilent.newBuilder()
        .addNodes(SilentNode.newBuilder().setNodeId(node).setBootId(boot).setDown(down).setSilentMs(6_000)))
        .build());
  }

  private TaskRecord get(TaskRecord t) {
    return store.task(t.getId()).orElseThrow();
  }

  @Test
  void pastTheAvailableTtlOnlyAvailableWorkIsLostAndTheNodeStaysUp() throws IOException {
    CommandResult r = silent("n1", "b1", false);

    assertEquals("down 0, allocations lost 1", r.getMessage());
    assertEquals(NodeStatus.UP, store.node("n1").orElseThrow().getStatus());
    assertEquals(TaskStatus.SCHEDULED, get(exclusive).getStatus());
    TaskRecord moved = get(available);
    assertEquals(TaskStatus.PENDING, moved.getStatus());
    assertEquals("", moved.getNode());
    assertEquals(AllocationStatus.ALLOC_LOST, moved.getAllocation().getStatus());
    assertEquals(9_000, moved.getAllocation().getEndedAtMs());
    assertEquals("no heartbeat from n1 for 6000 ms", moved.getAllocation().getReason());
    assertEquals("lost on n1 (no heartbeat from n1 for 6000 ms); placing it elsewhere", moved.getMessage());
    assertEquals(TaskStatus.SCHEDULED, get(elsewhere).getStatus());
    assertEquals(List.of(moved), store.pendingTasks(10));
    assertEquals(new NodeUsage(500, 1_024, 0, 1), store.used("n1"));
  }

  @Test
  void pastTheTtlTheNodeIsDownAndAllItsWorkGoesBackToPendingOrStopped() throws IOException {
    feed.one(1, update(1, 3_000, available.getId(), Action.STOP));
    feed.one(1, Command.newBuilder().setHeader(header(1, 3_000)).setSetNodeEligibility(
        org.openautoglm.oag.command.v1.SetNodeEligibility.newBuilder().setNodeId("n1")
            .setEligibility(NodeEligibility.CORDONED)).build());

    CommandResult r = silent("n1", "b1", true);

    assertEquals("down 1, allocations lost 2", r.getMessage());
    var node = store.node("n1").orElseThrow();
    assertEquals(NodeStatus.DOWN, node.getStatus());
    assertEquals(NodeEligibility.CORDONED, node.getEligibility());
    assertEquals(TaskStatus.PENDING, get(exclusive).getStatus());
    assertEquals(AllocationStatus.ALLOC_LOST, get(exclusive).getAllocation().getStatus());
    assertEquals(TaskStatus.STOPPED, get(available).getStatus());
    assertEquals(9_000, get(available).getFinishedAtMs());
    assertEquals(NodeUsage.NONE, store.used("n1"));
    assertEquals(List.of("node.down", "allocation.lost", "task.pending", "allocation.lost", "task.stopped"),
        store.events(feed.index - 1, -1, 10).stream().map(EventRecord::getType).toList());
    assertEquals("n1", store.events(feed.index - 1, -1, 10).get(1).getNode());
  }

  @Test
  void aNodeThatRegisteredAgainOrIsAlreadyDownIsLeftAlone() throws IOException {
    feed.one(1, register(1, 8_000, node("n2", "b2", 8_000, 16_384, 0)));

    CommandResult stale = silent("n2", "b1", true);
    silent("n1", "b1", true);
    CommandResult again = silent("n1", "b1", true);

    assertEquals("down 0, allocations lost 0, skipped 1: n2 registered again (boot b2)", stale.getMessage());
    assertEquals(NodeStatus.UP, store.node("n2").orElseThrow().getStatus());
    assertEquals(TaskStatus.SCHEDULED, get(elsewhere).getStatus());
    assertEquals("down 0, allocations lost 0, skipped 1: n1 is already DOWN", again.getMessage());
  }

  @Test
  void aDownNodeThatRegistersAgainIsUpAndItsLostWorkStaysLost() throws IOException {
    silent("n1", "b1", true);

    feed.one(1, register(1, 10_000, node("n1", "b1", 8_000, 16_384, 0)));

    assertEquals(NodeStatus.UP, store.node("n1").orElseThrow().getStatus());
    assertEquals(AllocationStatus.ALLOC_LOST, get(exclusive).getAllocation().getStatus());
    assertEquals(List.of(), store.tasksOnNode("n1"));
  }

  @Test
  void badInputNamesTheField() throws IOException {
    CommandResult noBoot = silent("n1", "", true);
    CommandResult badNode = silent("n 1", "b1", true);

    assertEquals(Code.INVALID_ARGUMENT, noBoot.getCode());
    assertEquals("nodes[0].boot_id", noBoot.getField());
    assertEquals("nodes[0].node_id", badNode.getField());
    assertEquals(NodeStatus.UP, store.node("n1").orElseThrow().getStatus());
  }
}
