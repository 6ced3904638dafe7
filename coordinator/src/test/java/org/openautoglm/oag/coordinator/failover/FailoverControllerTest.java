package org.openautoglm.oag.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.coordinator.state.StoreSettings;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * The failover controller on a fake clock over a real store: what it proposes is applied at
 * once, as the leader's log would.
 */
class FailoverControllerTest {
  @TempDir Path dir;
  private StateStore store;
  private long index;
  private long nowNanos = 1_000_000_000L;
  private final Map<String, Long> heardAtNanos = new HashMap<>();
  private final List<Command> proposed = new java.util.ArrayList<>();
  private FailoverController controller;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final FleetView fleet = new FleetView() {
    @Override
    public long heartbeatAgeMs(String node) {
      Long at = heardAtNanos.get(node);
      return at == null ? -1 : (nowNanos - at) / 1_000_000;
    }

    @Override
    public boolean connected(String node) {
      return heardAtNanos.containsKey(node);
    }

    @Override
    public Optional<HostMetrics> host(String node) {
      return Optional.empty();
    }

    @Override
    public Optional<ProcessMetrics> process(String allocationId) {
      return Optional.empty();
    }

    @Override
    public List<String> silentFor(long minMs) {
      return heardAtNanos.keySet().stream().filter(n -> heartbeatAgeMs(n) >= minMs)
          .sorted(java.util.Comparator.comparingLong(heardAtNanos::get)).toList();
    }
  };

  @BeforeEach
  void open() throws IOException {
    store = StateStore.open(dir.resolve("db"), StoreSettings.defaults());
    controller = new FailoverController(() -> store, this::apply, fleet, () -> nowNanos, null, meters);
    for (String n : List.of("n1", "n2", "n3", "n4")) {
      apply(Command.newBuilder().setHeader(header()).setRegisterNode(RegisterNode.newBuilder().setNodeId(n)
          .setBootId("b1").setCapacity(CapacityRecord.newBuilder().setCpuMillis(4_000).setMemoryMib(8_192)))
          .build());
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static CommandHeader header() {
    return CommandHeader.newBuilder().setVersion(1).setTerm(1).setTimeMs(1_000).build();
  }

  private CompletableFuture<CommandResult> apply(Command command) {
    Command c = command.toBuilder().setHeader(command.getHeader().toBuilder().setTerm(1)).build();
    if (c.hasNodesSilent() || c.hasSetStormGuard()) {
      proposed.add(c);
    }
    CommandBatch batch = CommandBatch.newBuilder().addCommands(c).build();
    try {
      return CompletableFuture.completedFuture(store.applyBatch(1, ++index, batch, batch.toByteArray()).getResults(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TaskRecord placed(String name, Fencing fencing, String node) {
    TaskRecord t = apply(Command.newBuilder().setHeader(header()).setSubmitTask(SubmitTask.newBuilder()
        .setStart(true).setSpec(TaskSpecRecord.newBuilder().setName(name).setCommand("sleep").setCpuMillis(100)
            .setFencing(fencing))).build()).join().getTask();
    apply(Command.newBuilder().setHeader(header()).setPlaceTasks(PlaceTasks.newBuilder().addPlacements(
        Placement.newBuilder().setTaskId(t.getId()).setNode(node).setExpectedVersion(t.getVersion()))).build());
    return store.task(t.getId()).orElseThrow();
  }

  private void advanceMs(long ms) {
    nowNanos += ms * 1_000_000;
  }

  private void heartbeat(String... nodes) {
    for (String n : nodes) {
      heardAtNanos.put(n, nowNanos);
    }
  }

  private NodeStatus status(String node) {
    return store.node(node).orElseThrow().getStatus();
  }

  private List<String> events(String type) {
    return store.events(0, 0, 10_000).stream().filter(e -> e.getType().equals(type)).map(EventRecord::getNode)
        .toList();
  }

  @Test
  void aNewLeaderGivesEveryNodeAFullTtlFromItsElection() {
    placed("a", Fencing.AVAILABLE, "n4");
    controller.onLeaderReady(1);
    advanceMs(2_500);
    controller.tick();
    assertThat(proposed).as("not even available work moves during the grace").isEmpty();
    advanceMs(3_400);
    controller.tick();
    assertThat(status("n1")).isEqualTo(NodeStatus.UP);

    heartbeat("n1", "n2", "n3");
    advanceMs(100);
    controller.tick();

    assertThat(status("n4")).isEqualTo(NodeStatus.DOWN);
    assertThat(List.of(status("n1"), status("n2"), status("n3"))).containsOnly(NodeStatus.UP);
    assertThat(events("node.down")).containsExactly("n4");
    assertThat(meters.counter("oag_failover_nodes_down").count()).isEqualTo(1.0);
  }

  @Test
  void aNodeSilentForTheTtlIsDownAndItsWorkPendingWhileOthersKeepTheirs() {
    TaskRecord exclusive = placed("x", Fencing.EXCLUSIVE, "n1");
    TaskRecord available = placed("a", Fencing.AVAILABLE, "n1");
    TaskRecord other = placed("o", Fencing.EXCLUSIVE, "n2");
    controller.onLeaderReady(1);
    heartbeat("n1");   // heard once by this leader, then silent

    for (int ms = 0; ms < 6_000; ms += 100) {
      heartbeat("n2", "n3", "n4");
      advanceMs(100);
      controller.tick();
      if (ms == 2_500) {
        // Past the available TTL: the available task moved; the node and its exclusive work stay.
        assertThat(store.task(available.getId()).orElseThrow().getStatus()).isEqualTo(TaskStatus.PENDING);
        assertThat(store.task(exclusive.getId()).orElseThrow().getStatus()).isEqualTo(TaskStatus.SCHEDULED);
        assertThat(status("n1")).isEqualTo(NodeStatus.UP);
      }
    }

    assertThat(status("n1")).isEqualTo(NodeStatus.DOWN);
    assertThat(store.task(exclusive.getId()).orElseThrow().getStatus()).isEqualTo(TaskStatus.PENDING);
    assertThat(store.task(other.getId()).orElseThrow().getStatus()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(proposed).hasSize(2);  // one verdict at the available TTL, one at the TTL; nothing repeated
  }

  @Test
  void theStormGuardDeclaresNobodyDownWhileMostNodesAreSilentAndLetsGoWhenTheyReturn() {
    placed("x", Fencing.EXCLUSIVE, "n1");
    controller.onLeaderReady(1);
    heartbeat("n1", "n2", "n3", "n4");

    advanceMs(10_000);  // the leader heard nothing from anyone: its own fault, most likely
    controller.tick();
    controller.tick();

    assertThat(store.meta().getCluster().getStormGuard().getOn()).isTrue();
    assertThat(List.of(status("n1"), status("n2"), status("n3"), status("n4"))).containsOnly(NodeStatus.UP);
    assertThat(proposed).hasSize(1);

    heartbeat("n2", "n3", "n4");  // all but n1 are back
    controller.tick();

    assertThat(store.meta().getCluster().getStormGuard().getOn()).isFalse();
    assertThat(status("n1")).isEqualTo(NodeStatus.DOWN);
    assertThat(store.events(0, 0, 10_000).stream().map(EventRecord::getType)
        .filter(t -> t.startsWith("cluster.") || t.equals("node.down")).toList())
        .containsExactly("cluster.storm_guard_on", "cluster.storm_guard_off", "node.down");
  }

  @Test
  void afterStepDownNothingIsDeclared() {
    controller.onLeaderReady(1);
    controller.onStepDown();
    advanceMs(60_000);

    controller.tick();

    assertThat(proposed).isEmpty();
  }
}
