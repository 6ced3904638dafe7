package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
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
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.ProcessMetrics;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.SetNodeEligibilityRequest;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.coordinator.MiniCluster;
import org.openautoglm.oag.coordinator.Requests;

/**
 * The coordinator's side of the agent protocol on a real 3-node cluster, with a scripted agent
 * over real gRPC: registration, desired sets that follow task changes, transitions reported
 * and replicated, relaying through a follower, and sessions moving to a new leader.
 */
class AgentSessionIT {
  @TempDir Path dir;
  private MiniCluster cluster;
  private TestAgent agent;

  @BeforeEach
  void start() {
    cluster = MiniCluster.start(dir, 3);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    cluster.close();
  }

  private Task submit(int node, String name) {
    return Requests.tasks(cluster.channel(node)).submit(Requests.submit("it", name, name)).getTask();
  }

  private Task get(int node, String id) {
    return Requests.tasks(cluster.channel(node)).get(GetTaskRequest.newBuilder().setTaskId(id).build()).getTask();
  }

  private static AllocationStatus observed(DesiredAllocation a, AllocationState state, long pid) {
    return AllocationStatus.newBuilder().setAllocationId(a.getAllocationId()).setTaskId(a.getTaskId())
        .setGeneration(a.getGeneration()).setState(state).setPid(pid).build();
  }

  private DesiredAllocation awaitDesired(String taskId, DesiredState state) {
    DesiredAllocation[] found = new DesiredAllocation[1];
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      var set = agent.latestDesiredSet();
      found[0] = set == null ? null : set.getAllocationsList().stream()
          .filter(a -> a.getTaskId().equals(taskId) && a.getDesired() == state).findFirst().orElse(null);
      return found[0] != null;
    });
    return found[0];
  }

  @Test
  void aPendingTaskIsPlacedOnAConnectedAgentAndFollowsWhatTheAgentReports() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("n1", "boot-1");
    var reply = agent.register(cluster.channel(leader), 4000, 8192);
    assertThat(reply.getLeaseMs()).isPositive();
    agent.connect(cluster.channel(leader), List.of());

    Task task = submit(leader, "placed");
    DesiredAllocation a = awaitDesired(task.getId(), DesiredState.RUN);
    assertThat(a.getGeneration()).isEqualTo(1);
    assertThat(a.getCommandList()).containsExactly("sleep", "100");
    assertThat(get(leader, task.getId()).getState()).isEqualTo(TaskState.SCHEDULED);

    long seq = agent.heartbeat(List.of(observed(a, AllocationState.RUNNING, 4242)));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked(seq));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Task t = get(leader, task.getId());
      assertThat(t.getState()).isEqualTo(TaskState.RUNNING);
      assertThat(t.getNode()).isEqualTo("n1");
      assertThat(t.getAllocation().getPid()).isEqualTo(4242);
    });
    assertThat(agent.received).allMatch(m -> m.getTerm() > 0);

    Requests.tasks(cluster.channel(leader)).stop(TaskActionRequest.newBuilder()
        .setMeta(RequestMeta.newBuilder().setClientId("it").setRequestId("stop-1")).setTaskId(task.getId()).build());
    DesiredAllocation stopping = awaitDesired(task.getId(), DesiredState.STOP);
    agent.heartbeat(List.of(observed(stopping, AllocationState.KILLED, 4242)));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(get(leader, task.getId()).getState()).isEqualTo(TaskState.STOPPED));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        agent.latestDesiredSet().getAllocationsList().stream().noneMatch(x -> x.getTaskId().equals(task.getId())));
  }

  @Test
  void aSessionOpenedAtAFollowerIsRelayedToTheLeader() {
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % 3;
    agent = new TestAgent("n2", "boot-1");
    agent.register(cluster.channel(follower), 2000, 4096);
    agent.connect(cluster.channel(follower), List.of());

    Task task = submit(leader, "relayed");
    DesiredAllocation a = awaitDesired(task.getId(), DesiredState.RUN);
    long seq = agent.heartbeat(List.of(observed(a, AllocationState.RUNNING, 77)));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked(seq));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(get(leader, task.getId()).getState()).isEqualTo(TaskState.RUNNING));
    assertThat(cluster.node(leader).fleet().connected("n2")).isTrue();
  }

  @Test
  void aSecondSessionFromAnotherBootIsRefusedWhileTheFirstIsOpen() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("n3", "boot-1");
    agent.register(cluster.channel(leader), 1000, 1024);
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("n3"));

    try (TestAgent impostor = new TestAgent("n3", "boot-2")) {
      impostor.register(cluster.channel(leader), 1000, 1024);
      impostor.connect(cluster.channel(leader), List.of());
      await().atMost(Duration.ofSeconds(10)).until(() -> impostor.ended.get() != null);
      assertThat(impostor.ended.get().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
    assertThat(agent.ended.get()).isNull();
  }

  @Test
  void afterTheLeaderDiesTheAgentReconnectsAndItsInventoryAndDesiredSetReconcile() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("n4", "boot-1");
    agent.register(cluster.channel(leader), 4000, 8192);
    agent.connect(cluster.channel(leader), List.of());
    Task task = submit(leader, "survivor");
    DesiredAllocation a = awaitDesired(task.getId(), DesiredState.RUN);

    cluster.halt(leader);
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.ended.get() != null);
    int next = cluster.awaitLeader();
    agent.received.clear();
    // The transition to RUNNING was never reported to the old leader: the hello carries it.
    agent.connect(cluster.channel(next), List.of(observed(a, AllocationState.RUNNING, 99)));
    DesiredAllocation again = awaitDesired(task.getId(), DesiredState.RUN);
    assertThat(again.getGeneration()).isEqualTo(a.getGeneration());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Task t = get(next, task.getId());
      assertThat(t.getState()).isEqualTo(TaskState.RUNNING);
      assertThat(t.getAllocation().getPid()).isEqualTo(99);
    });
  }

  @Test
  void liveMetricsComeFromTheLeaderAndAFollowerSendsALiveReadThere() {
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % 3;
    agent = new TestAgent("n5", "boot-1");
    agent.register(cluster.channel(leader), 4000, 8192);
    agent.connect(cluster.channel(leader), List.of());
    Task task = submit(leader, "measured");
    DesiredAllocation a = awaitDesired(task.getId(), DesiredState.RUN);
    AllocationStatus running = observed(a, AllocationState.RUNNING, 1234).toBuilder()
        .setMetrics(ProcessMetrics.newBuilder().setCpuPercent(42.5).setRssMib(300)).build();
    agent.heartbeat(List.of(running));

    GetTaskRequest live = GetTaskRequest.newBuilder().setTaskId(task.getId()).setLive(true).build();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Task t = Requests.tasks(cluster.channel(leader)).get(live).getTask();
      assertThat(t.getAllocation().getMetrics().getCpuPercent()).isEqualTo(42.5);
      assertThat(t.getAllocation().getMetrics().getRssMib()).isEqualTo(300);
    });
    assertThat(Requests.code(() -> Requests.tasks(cluster.channel(follower)).get(live)))
        .isEqualTo("UNAVAILABLE");
    assertThat(get(follower, task.getId()).getAllocation().hasMetrics()).isFalse();
  }

  @Test
  void registeringAgainFromTheSameAgentAddsNothingToTheLog() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("n6", "boot-1");
    agent.register(cluster.channel(leader), 1000, 1024);
    long applied = cluster.awaitConverged();
    agent.register(cluster.channel(leader), 1000, 1024);
    agent.register(cluster.channel((leader + 1) % 3), 1000, 1024);   // relayed
    assertThat(cluster.awaitConverged()).isEqualTo(applied);

    try (TestAgent restarted = new TestAgent("n6", "boot-2")) {
      restarted.register(cluster.channel(leader), 1000, 1024);
      assertThat(cluster.awaitConverged()).isGreaterThan(applied);
      assertThat(cluster.node(leader).raft().store().node("n6").orElseThrow().getBootId()).isEqualTo("boot-2");
    }
  }

  @Test
  void aTaskThatFitsNowhereWaitsWithTheReasonAndIsPlacedWhenANodeWithRoomConnects() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("small", "boot-1");
    agent.register(cluster.channel(leader), 4000, 1024);
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("small"));
    CreateTaskRequest big = Requests.submit("it", "big", "big").toBuilder()
        .setSpec(Requests.submit("it", "big", "big").getSpec().toBuilder()
            .setResources(Resources.newBuilder().setCpuMillis(500).setMemoryMib(4096)))
        .build();
    Task task = Requests.tasks(cluster.channel(leader)).submit(big).getTask();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Task t = get(leader, task.getId());
      assertThat(t.getState()).isEqualTo(TaskState.PENDING);
      assertThat(t.getMessage())
          .isEqualTo("insufficient memory: need 4096 MiB, largest free 1024 MiB on 1 eligible node");
    });

    try (TestAgent large = new TestAgent("large", "boot-1")) {
      large.register(cluster.channel(leader), 4000, 8192);
      large.connect(cluster.channel(leader), List.of());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Task t = get(leader, task.getId());
        assertThat(t.getState()).isEqualTo(TaskState.SCHEDULED);
        assertThat(t.getNode()).isEqualTo("large");
      });
    }
  }

  @Test
  void aFullClusterKeepsTheNextTaskWaitingUntilAStoppedTaskFreesItsRoom() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("only", "boot-1");
    agent.register(cluster.channel(leader), 2000, 2048);
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("only"));
    List<Task> fill = List.of(submitSized(leader, "fill-1", 1000, 1024), submitSized(leader, "fill-2", 1000, 1024));
    for (Task t : fill) {
      awaitDesired(t.getId(), DesiredState.RUN);
    }

    Task next = submitSized(leader, "next", 1000, 1024);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Task t = get(leader, next.getId());
      assertThat(t.getState()).isEqualTo(TaskState.PENDING);
      assertThat(t.getMessage()).isEqualTo("insufficient memory: need 1024 MiB, largest free 0 MiB on 1 eligible node");
    });

    Requests.tasks(cluster.channel(leader)).stop(TaskActionRequest.newBuilder()
        .setMeta(RequestMeta.newBuilder().setClientId("it").setRequestId("stop-fill-1"))
        .setTaskId(fill.get(0).getId()).build());
    DesiredAllocation stopping = awaitDesired(fill.get(0).getId(), DesiredState.STOP);
    agent.heartbeat(List.of(observed(stopping, AllocationState.KILLED, 0)));

    DesiredAllocation placed = awaitDesired(next.getId(), DesiredState.RUN);
    assertThat(placed.getGeneration()).isEqualTo(1);
    assertThat(get(leader, next.getId()).getNode()).isEqualTo("only");
  }

  @Test
  void aCordonedNodeGetsNoNewWorkUntilItIsUncordonedAndAnUnknownNodeIsNotFound() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("c1", "boot-1");
    agent.register(cluster.channel(leader), 4000, 8192);
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("c1"));
    var nodes = ClusterServiceGrpc.newBlockingStub(cluster.channel(leader));
    SetNodeEligibilityRequest cordon = SetNodeEligibilityRequest.newBuilder().setNodeId("c1")
        .setEligibility(NodeEligibility.NODE_CORDONED).build();

    assertThat(nodes.setNodeEligibility(cordon).getNode().getEligibility()).isEqualTo(NodeEligibility.NODE_CORDONED);
    Task task = submit(leader, "waits");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(get(leader, task.getId()).getMessage())
            .isEqualTo("no node is up and eligible (1 node, 0 down, 1 cordoned)"));
    nodes.setNodeEligibility(cordon.toBuilder().setEligibility(NodeEligibility.NODE_ELIGIBLE).build());

    assertThat(awaitDesired(task.getId(), DesiredState.RUN).getGeneration()).isEqualTo(1);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> nodes.setNodeEligibility(cordon.toBuilder().setNodeId("nobody").build()),
        io.grpc.StatusRuntimeException.class).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> nodes.setNodeEligibility(cordon.toBuilder().clearEligibility().build()),
        io.grpc.StatusRuntimeException.class).getStatus().getDescription()).contains("eligibility");
  }

  /**
   * The lease rule on a real cluster: once the leader can no longer reach a majority, a
   * heartbeat it receives is never acked (its leadership check cannot succeed), so the
   * agent's lease runs out while a new leader's TTL for the agent has not even begun.
   */
  @Test
  void aLeaderCutOffFromItsMajorityAcksNoHeartbeatItReceivesAfterwards() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("cut", "boot-1");
    agent.register(cluster.channel(leader), 4000, 8192);
    agent.connect(cluster.channel(leader), List.of());
    long before = agent.heartbeat(List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked(before));

    for (int i = 0; i < cluster.size(); i++) {
      if (i != leader) {
        cluster.halt(i);
      }
    }
    long after = agent.heartbeat(List.of());

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> agent.received.stream().noneMatch(m -> m.hasAck() && m.getAck().getSeq() >= after));
  }

  @Test
  void aTaskThatFitsIsPlacedEvenBehindMoreWaitingTasksThanOnePassTakes() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("one", "boot-1");
    agent.register(cluster.channel(leader), 4000, 4096);
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("one"));
    for (int i = 0; i < PlacementLoop.PASS_LIMIT; i++) {
      submitSized(leader, "too-big-" + i, 100, 8192);
    }

    Task small = submitSized(leader, "small", 100, 64);

    awaitDesired(small.getId(), DesiredState.RUN);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        cluster.node(leader).raft().store().pendingTasks(PlacementLoop.PASS_LIMIT + 1))
        .hasSize(PlacementLoop.PASS_LIMIT)
        .allSatisfy(t -> assertThat(t.getMessage()).startsWith("insufficient memory")));
  }

  @Test
  void everyTaskQueuedBeforeAnyNodeExistsIsPlacedWhenOneJoins() {
    int leader = cluster.awaitLeader();
    int queued = PlacementLoop.PASS_LIMIT + PlacementLoop.PASS_LIMIT / 2;
    for (int i = 0; i < queued; i++) {
      submitSized(leader, "queued-" + i, 1, 1);
    }
    assertThat(cluster.node(leader).raft().store().pendingTasks(queued + 1)).hasSize(queued)
        .allSatisfy(t -> assertThat(t.getMessage()).isEmpty());   // no wait reason written per task

    agent = new TestAgent("one", "boot-1");
    agent.register(cluster.channel(leader), 4000, 4096);
    agent.connect(cluster.channel(leader), List.of());

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        cluster.node(leader).raft().store().pendingTasks(queued + 1)).isEmpty());
  }

  private Task submitSized(int node, String name, int cpuMillis, long memoryMib) {
    CreateTaskRequest r = Requests.submit("it", name, name);
    return Requests.tasks(cluster.channel(node)).submit(r.toBuilder().setSpec(r.getSpec().toBuilder()
        .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMib))).build()).getTask();
  }

  @Test
  void constraintsChooseTheNodeByItsLabelsAndATaskNoNodeMatchesSaysSo() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("za", "boot-1");
    agent.register(cluster.channel(leader), 4000, 8192, java.util.Map.of("zone", "a"));
    agent.connect(cluster.channel(leader), List.of());
    try (TestAgent zoneB = new TestAgent("zb", "boot-1")) {
      zoneB.register(cluster.channel(leader), 4000, 8192, java.util.Map.of("zone", "b"));
      zoneB.connect(cluster.channel(leader), List.of());
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(leader).fleet().connected("zb"));
      CreateTaskRequest base = Requests.submit("it", "notA", "notA");
      Task notA = Requests.tasks(cluster.channel(leader)).submit(base.toBuilder()
          .setSpec(base.getSpec().toBuilder().addConstraints("zone!=a")).build()).getTask();
      CreateTaskRequest other = Requests.submit("it", "h100", "h100");
      Task h100 = Requests.tasks(cluster.channel(leader)).submit(other.toBuilder()
          .setSpec(other.getSpec().toBuilder().addConstraints("gpu.model=H100")).build()).getTask();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(get(leader, notA.getId()).getNode()).isEqualTo("zb");
        Task waiting = get(leader, h100.getId());
        assertThat(waiting.getState()).isEqualTo(TaskState.PENDING);
        assertThat(waiting.getMessage()).isEqualTo("no node matches gpu.model=H100");
      });
    }
  }

  @Test
  void aHelloFromAnUnregisteredNodeIsRefused() {
    int leader = cluster.awaitLeader();
    agent = new TestAgent("ghost", "boot-1");
    agent.connect(cluster.channel(leader), List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.ended.get() != null);
    assertThat(agent.ended.get().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }
}
