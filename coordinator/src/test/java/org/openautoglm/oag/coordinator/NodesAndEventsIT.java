package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.DrainStatusRequest;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ListNodesRequest;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.coordinator.api.ApiErrors;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

/** ListNodes from the leader, the event log from any member, and following it as entries apply. */
class NodesAndEventsIT {
  @TempDir
  static Path dir;
  static MiniCluster cluster;
  static int leader;
  static Task placed;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(dir, 3);
    leader = cluster.awaitLeader();
    // n1 is registered by hand and never heard from: a long TTL keeps the failover controller from
    // judging it down while the tests run on a slow machine.
    clusterStub(leader).setFailoverSettings(FailoverSettings.newBuilder()
        .setLeaseMs(60_000).setTtlMs(120_000).setAvailableTtlMs(60_000).build());
    propose(Command.newBuilder().setRegisterNode(RegisterNode.newBuilder().setNodeId("n1").setBootId("b1")
        .setAddress("host-1").putLabels("zone", "a")
        .setCapacity(CapacityRecord.newBuilder().setCpuMillis(4_000).setMemoryMib(8_192)
            .addGpus(GpuRecord.newBuilder().setIndex(0).setModel("H100").setMemoryMib(81_559)))));
    Task submitted = Requests.tasks(cluster.channel(leader)).submit(Requests.submit("nodes-it", "a", "a")).getTask();
    // The leader's placement loop may record a wait reason first (n1 is not connected), which
    // changes the version: place against whatever version the task has now.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Task now = Requests.tasks(cluster.channel(leader)).get(GetTaskRequest.newBuilder()
          .setTaskId(submitted.getId()).build()).getTask();
      propose(Command.newBuilder().setPlaceTasks(PlaceTasks.newBuilder().addPlacements(Placement.newBuilder()
          .setTaskId(now.getId()).setNode("n1").setExpectedVersion(now.getVersion()))));
    });
    placed = Requests.tasks(cluster.channel(leader)).get(GetTaskRequest.newBuilder()
        .setTaskId(submitted.getId()).build()).getTask();
    cluster.awaitConverged();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** What the leader's own services will propose: one leader-stamped command. */
  private static void propose(Command.Builder command) throws Exception {
    var raft = cluster.node(leader).raft();
    command.setHeader(CommandHeader.newBuilder().setVersion(1).setTerm(raft.term())
        .setTimeMs(System.currentTimeMillis()));
    byte[] reply = raft.propose(CommandBatch.newBuilder().addCommands(command).build().toByteArray())
        .get(10, TimeUnit.SECONDS);
    CommandResult result = BatchResult.parseFrom(reply).getResults(0);
    assertThat(result.getCode()).as(result.getMessage()).isEqualTo(CommandResult.Code.OK);
    assertThat(result.getMessage()).doesNotContain("skipped");
  }

  private static int follower() {
    return (leader + 1) % cluster.size();
  }

  private static ClusterServiceGrpc.ClusterServiceBlockingStub clusterStub(int node) {
    return ClusterServiceGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static List<Event> events(int node, EventsRequest request) {
    List<Event> out = new ArrayList<>();
    clusterStub(node).events(request).forEachRemaining(out::add);
    return out;
  }

  @Test
  void theLeaderListsNodesWithTheirReplicatedUse() {
    List<Node> nodes = clusterStub(leader).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();

    assertThat(nodes).hasSize(1);
    Node n = nodes.get(0);
    assertThat(n.getId()).isEqualTo("n1");
    assertThat(n.getState()).isEqualTo(NodeState.NODE_UP);
    assertThat(n.getCapacity().getCpuMillis()).isEqualTo(4_000);
    assertThat(n.getCapacity().getGpus()).isEqualTo(1);
    assertThat(n.getUsed().getCpuMillis()).isEqualTo(100);
    assertThat(n.getUsed().getMemoryMib()).isEqualTo(64);
    assertThat(n.getTasks()).isEqualTo(1);
    assertThat(n.getGpus(0).getModel()).isEqualTo("H100");
    assertThat(n.getAddress()).isEqualTo("host-1");
    assertThat(n.getLabelsMap()).containsEntry("zone", "a");
    assertThat(n.getLastHeartbeatAgeMs()).isEqualTo(-1);
    assertThat(n.getConnected()).isFalse();
  }

  @Test
  void aFollowerSendsListNodesToTheLeader() {
    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> clusterStub(follower()).listNodes(ListNodesRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getTrailers().get(ApiErrors.LEADER_ID)).isEqualTo(cluster.peers().get(leader).id());
    assertThat(e.getTrailers().get(ApiErrors.LEADER_ADDRESS)).isEqualTo(cluster.peers().get(leader).apiAddress());
  }

  @Test
  void aNodeNotDrainingWaitsForNothingAndAnyMemberSaysSo() {
    for (int member = 0; member < cluster.size(); member++) {
      DrainStatusReply status = clusterStub(member).drainStatus(DrainStatusRequest.newBuilder().setNodeId("n1").build());

      assertThat(status.getNodeId()).isEqualTo("n1");
      assertThat(status.getDraining()).isFalse();
      assertThat(status.getDeadlineMs()).isZero();
      assertThat(status.getRemainingList()).as("its task is not waited for: nothing drains").isEmpty();
      assertThat(status.hasLast()).isFalse();
    }
    int follower = follower();
    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> clusterStub(follower).drainStatus(DrainStatusRequest.newBuilder().setNodeId("n9").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aTaskShowsItsAllocation() {
    assertThat(placed.getState()).isEqualTo(TaskState.SCHEDULED);
    assertThat(placed.getNode()).isEqualTo("n1");
    assertThat(placed.getAllocation().getId()).isEqualTo(placed.getId() + ".1");
    assertThat(placed.getAllocation().getGeneration()).isEqualTo(1);
    assertThat(placed.getAllocation().getState()).isEqualTo(AllocationState.ALLOCATION_ASSIGNED);
    assertThat(placed.getAllocation().hasMetrics()).isFalse();
  }

  @Test
  void anyMemberStreamsTheEventLog() {
    List<Event> all = events(follower(), EventsRequest.getDefaultInstance());
    assertThat(all).extracting(Event::getType)
        .containsSubsequence("node.registered", "task.submitted", "allocation.assigned", "task.scheduled");
    assertThat(events(leader, EventsRequest.getDefaultInstance())).isEqualTo(all);

    assertThat(events(follower(), EventsRequest.newBuilder().setLimit(2).build())).isEqualTo(all.subList(0, 2));
    long firstIndex = all.get(0).getIndex();
    assertThat(events(follower(), EventsRequest.newBuilder().setSinceIndex(firstIndex).build()))
        .isEqualTo(all.subList(1, all.size()));

    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> events(follower(), EventsRequest.newBuilder().setSinceIndex(-1).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getTrailers().get(ApiErrors.FIELD)).isEqualTo("since_index");
  }

  @Test
  void manyEventsComeInPagesUpToTheLimit() throws Exception {
    SubmitTask.Builder submit = SubmitTask.newBuilder().setStart(false)
        .setSpec(TaskSpecRecord.newBuilder().setName("bulk").setCommand("true"));
    CommandBatch.Builder batch = CommandBatch.newBuilder();
    var raft = cluster.node(leader).raft();
    long since = raft.store().meta().getAppliedIndex();
    for (int i = 0; i < 600; i++) {
      batch.addCommands(Command.newBuilder().setHeader(CommandHeader.newBuilder().setVersion(1)
          .setTerm(raft.term())).setSubmitTask(submit));
    }
    raft.propose(batch.build().toByteArray()).get(10, TimeUnit.SECONDS);
    cluster.awaitConverged();

    List<Event> page = events(follower(), EventsRequest.newBuilder().setSinceIndex(since).setLimit(520).build());
    assertThat(page).hasSize(520);
    assertThat(page).extracting(Event::getPosition).startsWith(0, 1, 2).endsWith(519);
    assertThat(page).allMatch(ev -> ev.getType().equals("task.created"));
    assertThat(events(follower(), EventsRequest.newBuilder().setSinceIndex(since).build())).hasSize(600);
  }

  @Test
  void aFollowingStreamGetsNewlyAppliedEvents() {
    int member = follower();
    long since = cluster.node(member).raft().store().meta().getAppliedIndex();
    List<Event> received = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
    ClusterServiceGrpc.newStub(cluster.channel(member)).events(
        EventsRequest.newBuilder().setSinceIndex(since).setFollow(true).build(),
        new ClientResponseObserver<EventsRequest, Event>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<EventsRequest> requestStream) {
            call[0] = requestStream;
          }

          @Override
          public void onNext(Event value) {
            received.add(value);
          }

          @Override
          public void onError(Throwable t) {
            errors.add(t);
          }

          @Override
          public void onCompleted() {
            errors.add(new AssertionError("a following stream does not complete"));
          }
        });
    try {
      Task later = Requests.tasks(cluster.channel(leader)).submit(Requests.submit("nodes-it", "later", "later"))
          .getTask();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(received).anyMatch(e -> e.getTaskId().equals(later.getId())
              && e.getType().equals("task.submitted")));
      Task again = Requests.tasks(cluster.channel(leader)).submit(Requests.submit("nodes-it", "again", "again"))
          .getTask();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(received).anyMatch(e -> e.getTaskId().equals(again.getId())));
      assertThat(errors).isEmpty();
      assertThat(received).extracting(Event::getIndex).isSorted().allMatch(i -> i > since);
    } finally {
      call[0].cancel("test done", null);
    }
  }
}
