package org.openautoglm.oag.client;

import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.ClusterStatusRequest;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.DrainStatusRequest;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ListNodesRequest;
import org.openautoglm.oag.api.v1.ListTasksReply;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.GetFailoverSettingsRequest;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.SetNodeEligibilityRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskServiceGrpc.TaskServiceBlockingStub;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;

/**
 * {@link CoordinatorClient} over gRPC blocking stubs; every call goes through one {@link
 * RetryLoop}. Thread-safe.
 */
final class GrpcCoordinatorClient implements CoordinatorClient {
  private final ClientConfig config;
  private final Endpoints endpoints;
  private final RetryLoop loop;

  GrpcCoordinatorClient(ClientConfig config, Ticker ticker) {
    this.config = config;
    this.endpoints = new Endpoints(config.addresses(), config.channelFactory());
    this.loop = new RetryLoop(endpoints, config, ticker);
  }

  @Override
  public String clientId() {
    return config.clientId();
  }

  @Override
  public Task create(org.openautoglm.oag.api.v1.TaskSpec spec, String requestId) {
    CreateTaskRequest req = CreateTaskRequest.newBuilder()
        .setMeta(meta(requestId)).setSpec(Objects.requireNonNull(spec, "spec")).build();
    return loop.run("Create", requestId, (ch, deadline, tracer) ->
        prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer).create(req).getTask());
  }

  @Override
  public Task submit(org.openautoglm.oag.api.v1.TaskSpec spec, String requestId) {
    CreateTaskRequest req = CreateTaskRequest.newBuilder()
        .setMeta(meta(requestId)).setSpec(Objects.requireNonNull(spec, "spec")).build();
    return loop.run("Submit", requestId, (ch, deadline, tracer) ->
        prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer).submit(req).getTask());
  }

  @Override
  public Task start(String taskId, String requestId) {
    return action("Start", taskId, requestId, TaskServiceBlockingStub::start);
  }

  @Override
  public Task stop(String taskId, String requestId) {
    return action("Stop", taskId, requestId, TaskServiceBlockingStub::stop);
  }

  @Override
  public Task pause(String taskId, String requestId) {
    return action("Pause", taskId, requestId, TaskServiceBlockingStub::pause);
  }

  @Override
  public Task resume(String taskId, String requestId) {
    return action("Resume", taskId, requestId, TaskServiceBlockingStub::resume);
  }

  @Override
  public Task get(String taskId, ReadConsistency consistency) {
    GetTaskRequest req = GetTaskRequest.newBuilder()
        .setTaskId(requireId(taskId))
        .setConsistency(Objects.requireNonNullElse(consistency, ReadConsistency.LINEARIZABLE))
        .build();
    return loop.run("Get", null, (ch, deadline, tracer) ->
        prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer).get(req).getTask());
  }

  @Override
  public Task getLive(String taskId) {
    GetTaskRequest req = GetTaskRequest.newBuilder().setTaskId(requireId(taskId)).setLive(true).build();
    // Leader only: a follower's not-leader answer is followed as for a write.
    return loop.run("Get", null, (ch, deadline, tracer) ->
        prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer).get(req).getTask());
  }

  @Override
  public TaskPage list(TaskQuery query, String pageToken) {
    var req = Objects.requireNonNull(query, "query").toRequest(pageToken);
    ListTasksReply reply = loop.run("List", null, (ch, deadline, tracer) ->
        prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer).list(req));
    return new TaskPage(reply.getTasksList(), reply.getNextPageToken());
  }

  @Override
  public ClusterStatus clusterStatus() {
    ClusterStatusRequest req = ClusterStatusRequest.getDefaultInstance();
    return loop.run("ClusterStatus", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).status(req));
  }

  @Override
  public String transferLeader(String target) {
    TransferLeaderRequest req = TransferLeaderRequest.newBuilder()
        .setTarget(Objects.requireNonNullElse(target, "")).build();
    // Not deduplicated by the server, and harmless to repeat: retried like a read.
    return loop.run("TransferLeader", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer)
            .transferLeader(req).getLeader());
  }

  @Override
  public List<Node> listNodes() {
    ListNodesRequest req = ListNodesRequest.getDefaultInstance();
    // Leader only: a follower's not-leader answer is followed as for a write.
    return loop.run("ListNodes", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer)
            .listNodes(req).getNodesList());
  }

  @Override
  public Node cordon(String nodeId) {
    return setEligibility(nodeId, NodeEligibility.NODE_CORDONED);
  }

  @Override
  public Node uncordon(String nodeId) {
    return setEligibility(nodeId, NodeEligibility.NODE_ELIGIBLE);
  }

  private Node setEligibility(String nodeId, NodeEligibility eligibility) {
    SetNodeEligibilityRequest req = SetNodeEligibilityRequest.newBuilder().setNodeId(requireNodeId(nodeId))
        .setEligibility(eligibility).build();
    // Idempotent on the server (setting what is set changes nothing): retried like a read.
    return loop.run("SetNodeEligibility", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer)
            .setNodeEligibility(req).getNode());
  }

  @Override
  public Node drain(String nodeId, Duration deadline) {
    if (deadline != null && deadline.isNegative()) {
      throw new IllegalArgumentException("drain deadline must not be negative: " + deadline);
    }
    long ms;
    try {
      ms = deadline == null ? 0 : deadline.toMillis();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("drain deadline is too long: " + deadline);
    }
    return drainNode(DrainNodeRequest.newBuilder().setNodeId(requireNodeId(nodeId)).setDeadlineMs(ms).build());
  }

  @Override
  public Node cancelDrain(String nodeId) {
    return drainNode(DrainNodeRequest.newBuilder().setNodeId(requireNodeId(nodeId)).setCancel(true).build());
  }

  private Node drainNode(DrainNodeRequest req) {
    // Carries no request id: retried like a read, as cordon is.
    return loop.run("DrainNode", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).drainNode(req).getNode());
  }

  @Override
  public DrainStatusReply drainStatus(String nodeId) {
    DrainStatusRequest req = DrainStatusRequest.newBuilder().setNodeId(requireNodeId(nodeId)).build();
    return loop.run("DrainStatus", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).drainStatus(req));
  }

  @Override
  public FailoverSettings failoverSettings() {
    GetFailoverSettingsRequest req = GetFailoverSettingsRequest.getDefaultInstance();
    return loop.run("GetFailoverSettings", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).getFailoverSettings(req));
  }

  @Override
  public FailoverSettings setFailoverSettings(FailoverSettings settings) {
    FailoverSettings req = Objects.requireNonNull(settings, "settings");
    // Setting the same settings again changes nothing: retried like a read.
    return loop.run("SetFailoverSettings", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).setFailoverSettings(req));
  }

  @Override
  public RebalanceSettings rebalanceSettings() {
    GetRebalanceSettingsRequest req = GetRebalanceSettingsRequest.getDefaultInstance();
    return loop.run("GetRebalanceSettings", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).getRebalanceSettings(req));
  }

  @Override
  public RebalanceSettings setRebalanceSettings(RebalanceSettings settings) {
    RebalanceSettings req = Objects.requireNonNull(settings, "settings");
    // Setting the same settings again changes nothing: retried like a read.
    return loop.run("SetRebalanceSettings", null, (ch, deadline, tracer) ->
        prepare(ClusterServiceGrpc.newBlockingStub(ch), deadline, tracer).setRebalanceSettings(req));
  }

  @Override
  public Subscription events(EventQuery query, Consumer<Event> sink) {
    EventStream stream = new EventStream(loop, Objects.requireNonNull(query, "query"),
        Objects.requireNonNull(sink, "sink"));
    return StreamThread.start("oag-events", stream);
  }

  @Override
  public Subscription logs(LogQuery query, Consumer<byte[]> sink) {
    LogStream stream = new LogStream(loop, Objects.requireNonNull(query, "query"),
        config.clientId(), Objects.requireNonNull(sink, "sink"));
    return StreamThread.start("oag-logs-" + query.taskId(), stream);
  }

  @Override
  public void close() {
    endpoints.close();
  }

  @FunctionalInterface
  private interface ActionRpc {
    org.openautoglm.oag.api.v1.TaskReply call(TaskServiceBlockingStub stub, TaskActionRequest r);
  }

  private Task action(String method, String taskId, String requestId, ActionRpc rpc) {
    TaskActionRequest req = TaskActionRequest.newBuilder()
        .setMeta(meta(requestId)).setTaskId(requireId(taskId)).build();
    return loop.run(method, requestId, (ch, deadline, tracer) ->
        rpc.call(prepare(TaskServiceGrpc.newBlockingStub(ch), deadline, tracer), req).getTask());
  }

  private RequestMeta meta(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("request id must not be empty");
    }
    return RequestMeta.newBuilder().setClientId(config.clientId()).setRequestId(requestId).build();
  }

  private static String requireId(String taskId) {
    if (taskId == null || taskId.isBlank()) {
      throw new IllegalArgumentException("task id must not be empty");
    }
    return taskId;
  }

  private static String requireNodeId(String nodeId) {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("node id must not be empty");
    }
    return nodeId;
  }

  private static <S extends AbstractStub<S>> S prepare(
      S stub, long deadlineNanos, AttemptTracer tracer) {
    return stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)
        .withInterceptors(tracer);
  }
}
