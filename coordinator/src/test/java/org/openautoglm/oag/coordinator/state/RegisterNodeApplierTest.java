package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

class RegisterNodeApplierTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private List<String> eventTypes() {
    return store.events(0, 0, 100).stream().map(EventRecord::getType).toList();
  }

  @Test
  void aNewNodeIsStoredUpWithAnEvent() throws IOException {
    CommandResult r = feed.one(1, register(1, 1_000, node("n1", "b1", 4_000, 8_192, 2)));

    assertEquals(Code.OK, r.getCode());
    assertFalse(r.hasTask());
    assertEquals("node n1 registered", r.getMessage());
    NodeRecord n = store.node("n1").orElseThrow();
    assertEquals(NodeStatus.UP, n.getStatus());
    assertEquals("b1", n.getBootId());
    assertEquals("n1.local", n.getAddress());
    assertEquals(4_000, n.getCapacity().getCpuMillis());
    assertEquals(2, n.getCapacity().getGpusCount());
    assertEquals("a", n.getLabelsOrThrow("zone"));
    assertEquals(1_000, n.getRegisteredAtMs());
    assertEquals(1_000, n.getUpdatedAtMs());
    assertEquals(1, n.getVersion());
    EventRecord e = store.events(0, 0, 10).get(0);
    assertEquals("node.registered", e.getType());
    assertEquals("n1", e.getNode());
    assertEquals(1, e.getIndex());
    assertEquals(0, e.getPosition());
    assertEquals(1_000, e.getTimeMs());
  }

  @Test
  void registeringAgainWithTheSameBootChangesNothing() throws IOException {
    feed.one(1, register(1, 1_000, node("n1", "b1", 4_000, 8_192, 0)));
    NodeRecord before = store.node("n1").orElseThrow();

    CommandResult r = feed.one(1, register(1, 5_000, node("n1", "b1", 4_000, 8_192, 0)));

    assertEquals(Code.OK, r.getCode());
    assertEquals("node n1 unchanged", r.getMessage());
    assertEquals(before, store.node("n1").orElseThrow());
    assertEquals(List.of("node.registered"), eventTypes());
  }

  @Test
  void aNewBootIdIsARestart() throws IOException {
    feed.one(1, register(1, 1_000, node("n1", "b1", 4_000, 8_192, 0)));
    CommandResult r = feed.one(1, register(1, 2_000, node("n1", "b2", 4_000, 8_192, 0)));

    assertEquals("node n1 restarted", r.getMessage());
    NodeRecord n = store.node("n1").orElseThrow();
    assertEquals("b2", n.getBootId());
    assertEquals(1_000, n.getRegisteredAtMs());
    assertEquals(2_000, n.getUpdatedAtMs());
    assertEquals(2, n.getVersion());
    assertEquals(List.of("node.registered", "node.restarted"), eventTypes());
  }

  @Test
  void changedCapacityOrLabelsAreAnUpdate() throws IOException {
    feed.one(1, register(1, 1_000, node("n1", "b1", 4_000, 8_192, 0)));
    feed.one(1, register(1, 2_000, node("n1", "b1", 8_000, 8_192, 0)));
    feed.one(1, register(1, 3_000, node("n1", "b1", 8_000, 8_192, 0).toBuilder().putLabels("zone", "b").build()));

    NodeRecord n = store.node("n1").orElseThrow();
    assertEquals(8_000, n.getCapacity().getCpuMillis());
    assertEquals("b", n.getLabelsOrThrow("zone"));
    assertEquals(3, n.getVersion());
    assertEquals(List.of("node.registered", "node.updated", "node.updated"), eventTypes());
  }

  @Test
  void nodesAreListedById() throws IOException {
    feed.apply(1, register(1, 1, node("n3", "b", 1, 1, 0)), register(1, 1, node("n1", "b", 1, 1, 0)),
        register(1, 1, node("n2", "b", 1, 1, 0)));
    assertEquals(List.of("n1", "n2", "n3"), store.nodes().stream().map(NodeRecord::getId).toList());
    assertTrue(store.node("n4").isEmpty());
  }

  private static Arguments bad(String field, String message, UnaryOperator<RegisterNode.Builder> change) {
    return Arguments.of(field, message, change);
  }

  static Stream<Arguments> badRegistrations() {
    return Stream.of(
        bad("node_id", "required", b -> b.setNodeId("")),
        bad("node_id", "65 chars, at most 64", b -> b.setNodeId("n".repeat(65))),
        bad("node_id", "may contain only A-Z a-z 0-9 . _ - but has '/'", b -> b.setNodeId("a/b")),
        bad("boot_id", "required", b -> b.setBootId("")),
        bad("capacity.cpu_millis", "-1 is negative", b -> b.setCapacity(b.getCapacity().toBuilder().setCpuMillis(-1))),
        bad("capacity.memory_mib", "-2 is negative", b -> b.setCapacity(b.getCapacity().toBuilder().setMemoryMib(-2))),
        bad("labels", "empty key", b -> b.putLabels("", "x")));
  }

  @ParameterizedTest
  @MethodSource("badRegistrations")
  void invalidRegistrationsNameTheField(String field, String message, UnaryOperator<RegisterNode.Builder> change)
      throws IOException {
    RegisterNode body = change.apply(node("n1", "b1", 1_000, 1_024, 1).toBuilder()).build();

    var violation = CommandValidator.validate(register(1, 1, body)).orElseThrow();
    assertEquals(field, violation.field());
    assertTrue(violation.message().contains(message), violation.message());

    CommandResult r = feed.one(1, register(1, 1, body));
    assertEquals(Code.INVALID_ARGUMENT, r.getCode());
    assertEquals(field, r.getField());
    assertTrue(store.nodes().isEmpty());
    assertEquals(0, store.meta().getEventCount());
  }
}
