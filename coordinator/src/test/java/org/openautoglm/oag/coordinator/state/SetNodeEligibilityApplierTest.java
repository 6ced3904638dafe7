package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;

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
import org.openautoglm.oag.command.v1.SetNodeEligibility;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

class SetNodeEligibilityApplierTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
    feed.one(1, register(1, 1_000, node("n1", "b1", 1_000, 2_048, 0)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Command set(String node, NodeEligibility e) {
    return Command.newBuilder().setHeader(header(1, 2_000))
        .setSetNodeEligibility(SetNodeEligibility.newBuilder().setNodeId(node).setEligibility(e)).build();
  }

  private List<String> eventTypes() {
    return store.events(0, 0, 100).stream().map(EventRecord::getType).toList();
  }

  @Test
  void aRegisteredNodeIsEligible() {
    assertEquals(NodeEligibility.ELIGIBLE, store.node("n1").orElseThrow().getEligibility());
  }

  @Test
  void cordonChangesOnlyEligibilityOnceWithAnEvent() throws IOException {
    NodeRecord before = store.node("n1").orElseThrow();

    CommandResult r = feed.one(1, set("n1", NodeEligibility.CORDONED));
    long version = feed.index;
    CommandResult again = feed.one(1, set("n1", NodeEligibility.CORDONED));

    NodeRecord after = store.node("n1").orElseThrow();
    assertEquals(Code.OK, r.getCode());
    assertEquals(after, r.getNode());
    assertEquals(after, again.getNode());
    assertEquals(before.toBuilder().setEligibility(NodeEligibility.CORDONED).setUpdatedAtMs(2_000)
        .setVersion(version).build(), after);
    assertEquals(List.of("node.registered", "node.cordoned"), eventTypes());
  }

  @Test
  void aCordonedNodeThatReRegistersStaysCordonedAndUncordonUndoesIt() throws IOException {
    feed.one(1, set("n1", NodeEligibility.CORDONED));

    feed.one(1, register(1, 3_000, node("n1", "b2", 1_000, 2_048, 0)));
    NodeRecord restarted = store.node("n1").orElseThrow();
    feed.one(1, set("n1", NodeEligibility.ELIGIBLE));

    assertEquals(NodeEligibility.CORDONED, restarted.getEligibility());
    assertEquals(NodeStatus.UP, restarted.getStatus());
    assertEquals(NodeEligibility.ELIGIBLE, store.node("n1").orElseThrow().getEligibility());
    assertEquals(List.of("node.registered", "node.cordoned", "node.restarted", "node.uncordoned"), eventTypes());
  }

  @Test
  void anUnknownNodeIsNotFoundAndBadInputNamesTheField() throws IOException {
    CommandResult missing = feed.one(1, set("n9", NodeEligibility.CORDONED));
    CommandResult noNode = feed.one(1, set("", NodeEligibility.CORDONED));
    CommandResult noEligibility = feed.one(1, set("n1", NodeEligibility.NODE_ELIGIBILITY_UNSPECIFIED));

    assertEquals(Code.NOT_FOUND, missing.getCode());
    assertEquals("node n9 not found", missing.getMessage());
    assertEquals(Code.INVALID_ARGUMENT, noNode.getCode());
    assertEquals("node_id", noNode.getField());
    assertEquals(Code.INVALID_ARGUMENT, noEligibility.getCode());
    assertEquals("eligibility", noEligibility.getField());
    assertEquals(NodeEligibility.ELIGIBLE, store.node("n1").orElseThrow().getEligibility());
  }
}
