package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.coordinator.MiniCluster;
import org.openautoglm.oag.coordinator.Requests;
import org.openautoglm.oag.state.v1.NodeStatus;

/**
 * The failover controller on a real 3-node cluster with scripted agents and short TTLs: a
 * silent agent's available work moves to a heard one (never back to the silent one), its
 * exclusive work moves once it is declared DOWN, and it comes back UP by registering again.
 */
class AgentFailoverIT {
  @TempDir Path dir;
  private MiniCluster cluster;
  private int leader;

  @BeforeEach
  void start() {
    cluster = MiniCluster.start(dir, 3);
    leader = cluster.awaitLeader();
    ClusterServiceGrpc.newBlockingStub(cluster.channel(leader)).setFailoverSettings(FailoverSettings.newBuilder()
        .setLeaseMs(1_000).setTtlMs(2_000).setAvailableTtlMs(1_000).build());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private TestAgent connected(String node) {
    TestAgent a = new TestAgent(node, "boot-1");
    a.register(cluster.channel(leader), 4000, 8192);
    a.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected(node));
    return a;
  }

  private Task submit(String name, FencingMode fencing) {
    CreateTaskRequest r = Requests.submit("it", name, name);
    return Requests.tasks(cluster.channel(leader)).submit(r.toBuilder()
        .setSpec(r.getSpec().toBuilder().setFencing(fencing)).build()).getTask();
  }

  private Task get(String id) {
    return Requests.tasks(cluster.channel(leader)).get(GetTaskRequest.newBuilder().setTaskId(id).build()).getTask();
  }

  private static AllocationStatus running(DesiredAllocation a) {
    return AllocationStatus.newBuilder().setAllocationId(a.getAllocationId()).setTaskId(a.getTaskId())
        .setGeneration(a.getGeneration()).setState(AllocationState.RUNNING).setPid(100 + a.getGeneration()).build();
  }

  @Test
  void aSilentAgentsWorkMovesToAHeardOneAvailableFirstAndItComesBackUpByRegistering() {
    try (TestAgent quiet = connected("quiet")) {
      Task available = submit("available", FencingMode.FENCING_AVAILABLE);
      Task exclusive = submit("exclusive", FencingMode.FENCING_EXCLUSIVE);
      await().atMost(Duration.ofSeconds(10)).until(() -> quiet.latestDesiredSet() != null
          && quiet.latestDesiredSet().getAllocationsCount() == 2);
      quiet.heartbeat(quiet.latestDesiredSet().getAllocationsList().stream().map(AgentFailoverIT::running).toList());
      await().atMost(Duration.ofSeconds(10)).until(() -> get(exclusive.getId()).getState() == TaskState.RUNNING);

      try (TestAgent heard = connected("heard")) {
        quiet.silence();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          Task moved = get(available.getId());
          assertThat(moved.getState()).isEqualTo(TaskState.SCHEDULED);
          assertThat(moved.getNode()).isEqualTo("heard");
          assertThat(moved.getPreviousAllocations(0).getNode()).isEqualTo("quiet");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(cluster.node(leader).raft().store().node("quiet").orElseThrow().getStatus())
              .isEqualTo(NodeStatus.DOWN);
          assertThat(get(exclusive.getId()).getNode()).isEqualTo("heard");
        });
        assertThat(quiet.ended.get()).isNull();  // its stream is still open: DOWN came from silence

        // It comes back: registering makes it UP, and it stays UP while it heartbeats.
        try (TestAgent back = new TestAgent("quiet", "boot-2")) {
          quiet.close();
          back.register(cluster.channel(leader), 4000, 8192);
          back.connect(cluster.channel(leader), List.of());
          await().atMost(Duration.ofSeconds(10)).until(() ->
              cluster.node(leader).raft().store().node("quiet").orElseThrow().getStatus() == NodeStatus.UP);
          await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
              cluster.node(leader).raft().store().node("quiet").orElseThrow().getStatus() == NodeStatus.UP);
          assertThat(back.latestDesiredSet().getAllocationsList()).isEmpty();
        }
      }
    }
  }
}
