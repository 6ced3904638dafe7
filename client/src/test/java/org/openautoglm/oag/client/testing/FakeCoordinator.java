package org.openautoglm.oag.client.testing;

import org.openautoglm.oag.client.OagTrailers;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.ClusterStatusRequest;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.DrainStatusRequest;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ListNodesReply;
import org.openautoglm.oag.api.v1.ListNodesRequest;
import org.openautoglm.oag.api.v1.ListTasksReply;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.LogChunk;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.GetFailoverSettingsRequest;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.NodeReply;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.SetNodeEligibilityRequest;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskReply;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.api.v1.TransferLeaderReply;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;

/**
 * An in-process stand-in for one coordinator: keeps tasks, nodes, events and task output in
 * memory, records what it was sent, and answers scripted failures first. A "follower"
 * answers every call with not-leader.
 *
 * <p>Streams: {@code Events} and {@code Logs} send what is stored; with follow the call
 * stays open and gets what {@link #addEvent} and {@link #appendLog} add later, until {@link
 * #endLogs} (logs) or {@link #breakStreams} ends it. {@link #breakStreamsAfter} makes the
 * next streams fail after a number of messages, as a member that dies mid-stream.
 */
public final class FakeCoordinator implements AutoCloseable {
  /** A scripted answer: fail with this status, or never answer when {@code hang}. */
  public record Failure(Status status, Metadata trailers, boolean hang) {
    public static Failure of(Status status) {
      return new Failure(status, new Metadata(), false);
    }

    public static Failure with(Status status, Metadata.Key<String> key, String value) {
      Metadata m = new Metadata();
      m.put(key, value);
      return new Failure(status, m, false);
    }

    public static Failure hanging() {
      return new Failure(null, null, true);
    }
  }

  public final String name;
  private final Server server;
  private final Deque<Failure> script = new ArrayDeque<>();
  private Failure always;
  private final Map<String, Task> tasks = new TreeMap<>();
  public final List<RequestMeta> metas = new ArrayList<>();
  public final List<Long> deadlinesMs = new ArrayList<>();
  public final List<Object> requests = new ArrayList<>();
  public final List<StreamObserver<?>> hanging = new ArrayList<>();
  private int nextId = 1;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, DrainStatusReply> drainStatuses = new TreeMap<>();
  /** The replicated time a drain's relative deadline is added to. */
  public static final long NOW_MS = 1_700_000_000_000L;
  private FailoverSettings failover = FailoverSettings.newBuilder().setLeaseMs(5_000).setTtlMs(6_000)
      .setAvailableTtlMs(2_000).setClockRatePpm(10_000).setKeeperPeriodMs(200).setStormPercent(50)
      .setMaxReschedules(3).build();
  /** The coordinator's defaults. */
  private RebalanceSettings rebalance = RebalanceSettings.newBuilder().setThresholdPercent(20).setMaxMoves(3)
      .setIntervalMs(5_000).setCooldownMs(120_000).build();
  private final List<Event> events = new ArrayList<>();
  private final List<Follow<Event>> eventFollowers = new ArrayList<>();
  private final Map<String, List<byte[]>> stdout = new TreeMap<>();
  private final Map<String, List<byte[]>> stderr = new TreeMap<>();
  private final List<Follow<LogChunk>> logFollowers = new ArrayList<>();
  private int breakAfter = -1;
  private Status breakWith;

  /** An open follow stream: what it filters on and how many messages it has sent. */
  private static final class Follow<T> {
    final StreamObserver<T> out;
    final String taskId;
    final boolean stderr;
    int sent;

    Follow(StreamObserver<T> out, String taskId, boolean stderr) {
      this.out = out;
      this.taskId = taskId;
      this.stderr = stderr;
    }
  }

  public FakeCoordinator(String name) throws IOException {
    this.name = name;
    this.server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new Tasks()).addService(new Cluster()).build().start();
  }

  /** Over real TCP on 127.0.0.1 and an ephemeral port (plaintext Netty). */
  private FakeCoordinator(io.grpc.ServerBuilder<?> builder) throws IOException {
    this.server = builder.addService(new Tasks()).addService(new Cluster()).build().start();
    this.name = "127.0.0.1:" + server.getPort();
  }

  public static FakeCoordinator overTcp() throws IOException {
    return new FakeCoordinator(io.grpc.Grpc.newServerBuilderForPort(
        0, io.grpc.InsecureServerCredentials.create()));
  }

  public synchronized FakeCoordinator thenFail(Failure f) {
    script.add(f);
    return this;
  }

  public synchronized FakeCoordinator alwaysFail(Failure f) {
    always = f;
    return this;
  }

  /** Answers every call as a follower of {@code leaderId} at {@code leaderAddress}. */
  public FakeCoordinator follower(String leaderId, String leaderAddress) {
    Metadata m = new Metadata();
    if (leaderId != null) {
      m.put(OagTrailers.LEADER_ID, leaderId);
    }
    if (leaderAddress != null) {
      m.put(OagTrailers.LEADER_ADDRESS, leaderAddress);
    }
    return alwaysFail(new Failure(
        Status.UNAVAILABLE.withDescription("not leader; leader is " + leaderId), m, false));
  }

  public synchronized int calls() {
    return requests.size();
  }

  public synchronized void put(Task t) {
    tasks.put(t.getId(), t);
  }

  public synchronized void putNode(Node n) {
    nodes.put(n.getId(), n);
  }

  /** What DrainStatus answers for that node (else: its draining flag and deadline, nothing remaining). */
  public synchronized void putDrainStatus(DrainStatusReply r) {
    drainStatuses.put(r.getNodeId(), r);
  }

  /** Appends an event and sends it to every open follow stream. */
  public synchronized void addEvent(Event e) {
    events.add(e);
    for (Follow<Event> f : new ArrayList<>(eventFollowers)) {
      send(f, e, eventFollowers);
    }
  }

  /** Appends task output and sends it to every open follow stream of that task and kind. */
  public synchronized void appendLog(String taskId, boolean toStderr, String text) {
    byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    (toStderr ? stderr : stdout).computeIfAbsent(taskId, k -> new ArrayList<>()).add(data);
    for (Follow<LogChunk> f : new ArrayList<>(logFollowers)) {
      if (f.taskId.equals(taskId) && f.stderr == toStderr) {
        send(f, chunk(data), logFollowers);
      }
    }
  }

  /** Completes the open log follow streams of a task, as when its allocation ends. */
  public synchronized void endLogs(String taskId) {
    for (Follow<LogChunk> f : new ArrayList<>(logFollowers)) {
      if (f.taskId.equals(taskId)) {
        logFollowers.remove(f);
        f.out.onCompleted();
      }
    }
  }

  /** Fails every open follow stream with {@code status}. */
  public synchronized void breakStreams(Status status) {
    List<Follow<?>> all = new ArrayList<>(eventFollowers);
    all.addAll(logFollowers);
    eventFollowers.clear();
    logFollowers.clear();
    all.forEach(f -> f.out.onError(status.asRuntimeException()));
  }

  /** Streams opened from now on fail with {@code status} after {@code n} messages. */
  public synchronized FakeCoordinator breakStreamsAfter(int n, Status status) {
    breakAfter = n;
    breakWith = status;
    return this;
  }

  public synchronized int openStreams() {
    return eventFollowers.size() + logFollowers.size();
  }

  /** Sends one message; returns false when the stream was broken instead (and removed). */
  private synchronized <T> boolean send(Follow<T> f, T message, List<Follow<T>> registry) {
    if (breakAfter >= 0 && f.sent >= breakAfter) {
      registry.remove(f);
      f.out.onError(breakWith.asRuntimeException());
      return false;
    }
    f.sent++;
    f.out.onNext(message);
    return true;
  }

  /** A client that cancels its follow stream leaves the registry. */
  private <T> void onCancel(StreamObserver<T> out, Follow<T> f, List<Follow<T>> registry) {
    ((io.grpc.stub.ServerCallStreamObserver<T>) out).setOnCancelHandler(() -> {
      synchronized (FakeCoordinator.this) {
        registry.remove(f);
      }
    });
  }

  private static LogChunk chunk(byte[] data) {
    return LogChunk.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build();
  }

  /** Records the call and answers a scripted failure; returns true when one was answered. */
  private synchronized boolean intercept(Object request, RequestMeta meta, StreamObserver<?> out) {
    requests.add(request);
    if (meta != null) {
      metas.add(meta);
    }
    Deadline d = Context.current().getDeadline();
    deadlinesMs.add(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
    Failure f = script.isEmpty() ? always : script.poll();
    if (f == null) {
      return false;
    }
    if (f.hang()) {
      hanging.add(out);
    } else {
      out.onError(f.status().asRuntimeException(f.trailers()));
    }
    return true;
  }

  private synchronized Task create(CreateTaskRequest r, TaskState state) {
    String id = "t" + nextId++;
    Task t = Task.newBuilder().setId(id).setSpec(r.getSpec()).setState(state)
        .setDesired(state == TaskState.CREATED ? DesiredState.DESIRED_STATE_UNSPECIFIED
            : DesiredState.DESIRED_RUNNING)
        .setCreatedAtMs(1_700_000_000_000L).setVersion(nextId).build();
    tasks.put(id, t);
    return t;
  }

  private synchronized Task change(String id, TaskState state, DesiredState desired) {
    Task t = tasks.get(id);
    if (t == null) {
      throw Status.NOT_FOUND.withDescription("task " + id + " not found").asRuntimeException();
    }
    t = t.toBuilder().setState(state).setDesired(desired).build();
    tasks.put(id, t);
    return t;
  }

  private static void reply(StreamObserver<TaskReply> out, java.util.function.Supplier<Task> f) {
    try {
      out.onNext(TaskReply.newBuilder().setTask(f.get()).build());
      out.onCompleted();
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
    }
  }

  private final class Tasks extends TaskServiceGrpc.TaskServiceImplBase {
    @Override
    public void create(CreateTaskRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> FakeCoordinator.this.create(r, TaskState.CREATED));
      }
    }

    @Override
    public void submit(CreateTaskRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> FakeCoordinator.this.create(r, TaskState.PENDING));
      }
    }

    @Override
    public void start(TaskActionRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> change(r.getTaskId(), TaskState.PENDING, DesiredState.DESIRED_RUNNING));
      }
    }

    @Override
    public void stop(TaskActionRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> change(r.getTaskId(), TaskState.STOPPED, DesiredState.DESIRED_STOPPED));
      }
    }

    @Override
    public void pause(TaskActionRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> change(r.getTaskId(), TaskState.PAUSED, DesiredState.DESIRED_PAUSED));
      }
    }

    @Override
    public void resume(TaskActionRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, r.getMeta(), out)) {
        reply(out, () -> change(r.getTaskId(), TaskState.RUNNING, DesiredState.DESIRED_RUNNING));
      }
    }

    @Override
    public void get(GetTaskRequest r, StreamObserver<TaskReply> out) {
      if (!intercept(r, null, out)) {
        reply(out, () -> {
          synchronized (FakeCoordinator.this) {
            Task t = tasks.get(r.getTaskId());
            if (t == null) {
              throw Status.NOT_FOUND.withDescription("task " + r.getTaskId() + " not found")
                  .asRuntimeException();
            }
            return t;
          }
        });
      }
    }

    @Override
    public void list(ListTasksRequest r, StreamObserver<ListTasksReply> out) {
      if (intercept(r, null, out)) {
        return;
      }
      int size = r.getPageSize() == 0 ? 100 : r.getPageSize();
      List<Task> all;
      synchronized (FakeCoordinator.this) {
        all = new ArrayList<>(tasks.values());
      }
      all.removeIf(t -> !r.getStatesList().isEmpty() && !r.getStatesList().contains(t.getState()));
      all.removeIf(t -> !t.getSpec().getName().startsWith(r.getNamePrefix()));
      int from = r.getPageToken().isEmpty() ? 0 : Integer.parseInt(r.getPageToken());
      int to = Math.min(all.size(), from + size);
      out.onNext(ListTasksReply.newBuilder().addAllTasks(all.subList(from, to))
          .setNextPageToken(to < all.size() ? Integer.toString(to) : "").build());
      out.onCompleted();
    }

    @Override
    public void logs(LogsRequest r, StreamObserver<LogChunk> out) {
      if (intercept(r, null, out)) {
        return;
      }
      Follow<LogChunk> f = new Follow<>(out, r.getTaskId(), r.getStderr());
      onCancel(out, f, logFollowers);
      synchronized (FakeCoordinator.this) {
        if (!tasks.containsKey(r.getTaskId())) {
          out.onError(Status.NOT_FOUND.withDescription("task " + r.getTaskId() + " not found")
              .asRuntimeException());
          return;
        }
        List<Follow<LogChunk>> registry = new ArrayList<>(List.of(f));
        for (byte[] data : (r.getStderr() ? stderr : stdout).getOrDefault(r.getTaskId(), List.of())) {
          if (!send(f, chunk(data), registry)) {
            return;
          }
        }
        if (r.getFollow()) {
          logFollowers.add(f);
        } else {
          out.onCompleted();
        }
      }
    }
  }

  private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void status(ClusterStatusRequest r, StreamObserver<ClusterStatus> out) {
      if (intercept(r, null, out)) {
        return;
      }
      out.onNext(ClusterStatus.newBuilder().setClusterId("oag").setLeader("c1").setTerm(3)
          .setAnsweredBy(name)
          .addMembers(Member.newBuilder().setId("c1").setRaftAddress("127.0.0.1:7080")
              .setApiAddress("127.0.0.1:7070").setRole("LEADER").setTerm(3).setCommitIndex(10)
              .setAppliedIndex(10).setDigest("abc").setReachable(true))
          .build());
      out.onCompleted();
    }

    @Override
    public void listNodes(ListNodesRequest r, StreamObserver<ListNodesReply> out) {
      if (intercept(r, null, out)) {
        return;
      }
      synchronized (FakeCoordinator.this) {
        out.onNext(ListNodesReply.newBuilder().addAllNodes(nodes.values()).build());
      }
      out.onCompleted();
    }

    @Override
    public void events(EventsRequest r, StreamObserver<Event> out) {
      if (intercept(r, null, out)) {
        return;
      }
      Follow<Event> f = new Follow<>(out, "", false);
      onCancel(out, f, eventFollowers);
      synchronized (FakeCoordinator.this) {
        List<Follow<Event>> registry = new ArrayList<>(List.of(f));
        int limit = r.getLimit() == 0 ? 1000 : r.getLimit();
        int sent = 0;
        for (Event e : events) {
          if (e.getIndex() <= r.getSinceIndex()) {
            continue;
          }
          if (!r.getFollow() && sent == limit) {
            break;
          }
          if (!send(f, e, registry)) {
            return;
          }
          sent++;
        }
        if (r.getFollow()) {
          eventFollowers.add(f);
        } else {
          out.onCompleted();
        }
      }
    }

    @Override
    public void getFailoverSettings(GetFailoverSettingsRequest r, StreamObserver<FailoverSettings> out) {
      if (!intercept(r, null, out)) {
        synchronized (FakeCoordinator.this) {
          out.onNext(failover);
        }
        out.onCompleted();
      }
    }

    @Override
    public void setFailoverSettings(FailoverSettings r, StreamObserver<FailoverSettings> out) {
      if (intercept(r, null, out)) {
        return;
      }
      if (r.getTtlMs() != 0 && r.getTtlMs() < r.getLeaseMs() + 700) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("settings.ttl_ms: shorter than the lease allows")
            .asRuntimeException());
        return;
      }
      synchronized (FakeCoordinator.this) {
        failover = r.toBuilder().clearStormGuardOn().clearStormGuardReason().build();
        out.onNext(failover);
      }
      out.onCompleted();
    }

    @Override
    public void getRebalanceSettings(GetRebalanceSettingsRequest r, StreamObserver<RebalanceSettings> out) {
      if (!intercept(r, null, out)) {
        synchronized (FakeCoordinator.this) {
          out.onNext(rebalance);
        }
        out.onCompleted();
      }
    }

    /** Refuses a value out of range naming the field, as the coordinator does; 0 keeps the default. */
    @Override
    public void setRebalanceSettings(RebalanceSettings r, StreamObserver<RebalanceSettings> out) {
      if (intercept(r, null, out)) {
        return;
      }
      String bad = r.getThresholdPercent() < 0 || r.getThresholdPercent() > 100 ? "settings.threshold_percent"
          : r.getMaxMoves() < 0 || r.getMaxMoves() > 100 ? "settings.max_moves"
          : r.getIntervalMs() != 0 && (r.getIntervalMs() < 1_000 || r.getIntervalMs() > 3_600_000)
              ? "settings.interval_ms"
          : r.getCooldownMs() < 0 || r.getCooldownMs() > 86_400_000 ? "settings.cooldown_ms" : null;
      if (bad != null) {
        Metadata m = new Metadata();
        m.put(OagTrailers.FIELD, bad);
        out.onError(Status.INVALID_ARGUMENT.withDescription(bad + ": out of range").asRuntimeException(m));
        return;
      }
      synchronized (FakeCoordinator.this) {
        rebalance = RebalanceSettings.newBuilder()
            .setThresholdPercent(r.getThresholdPercent() != 0 ? r.getThresholdPercent() : 20)
            .setMaxMoves(r.getMaxMoves() != 0 ? r.getMaxMoves() : 3)
            .setIntervalMs(r.getIntervalMs() != 0 ? r.getIntervalMs() : 5_000)
            .setCooldownMs(r.getCooldownMs() != 0 ? r.getCooldownMs() : 120_000)
            .setDisabled(r.getDisabled()).build();
        out.onNext(rebalance);
      }
      out.onCompleted();
    }

    @Override
    public void setNodeEligibility(SetNodeEligibilityRequest r, StreamObserver<NodeReply> out) {
      if (intercept(r, null, out)) {
        return;
      }
      Node updated;
      synchronized (FakeCoordinator.this) {
        Node n = nodes.get(r.getNodeId());
        if (n == null) {
          out.onError(Status.NOT_FOUND.withDescription("node " + r.getNodeId() + " not found").asRuntimeException());
          return;
        }
        updated = n.toBuilder().setEligibility(r.getEligibility()).build();
        nodes.put(updated.getId(), updated);
      }
      out.onNext(NodeReply.newBuilder().setNode(updated).build());
      out.onCompleted();
    }

    /** Validates as the coordinator does; a drain cordons the node, a cancel leaves it cordoned. */
    @Override
    public void drainNode(DrainNodeRequest r, StreamObserver<NodeReply> out) {
      if (intercept(r, null, out)) {
        return;
      }
      String bad = r.getNodeId().isEmpty() ? "node_id" : r.getDeadlineMs() < 0 ? "deadline_ms" : null;
      if (bad != null) {
        Metadata m = new Metadata();
        m.put(OagTrailers.FIELD, bad);
        out.onError(Status.INVALID_ARGUMENT.withDescription(bad + ": out of range").asRuntimeException(m));
        return;
      }
      Node updated;
      synchronized (FakeCoordinator.this) {
        Node n = nodes.get(r.getNodeId());
        if (n == null) {
          out.onError(Status.NOT_FOUND.withDescription("node " + r.getNodeId() + " not found").asRuntimeException());
          return;
        }
        updated = n.toBuilder().setEligibility(NodeEligibility.NODE_CORDONED).setDraining(!r.getCancel())
            .setDrainDeadlineMs(r.getCancel() || r.getDeadlineMs() == 0 ? 0 : NOW_MS + r.getDeadlineMs())
            .build();
        nodes.put(updated.getId(), updated);
      }
      out.onNext(NodeReply.newBuilder().setNode(updated).build());
      out.onCompleted();
    }

    @Override
    public void drainStatus(DrainStatusRequest r, StreamObserver<DrainStatusReply> out) {
      if (intercept(r, null, out)) {
        return;
      }
      DrainStatusReply reply;
      synchronized (FakeCoordinator.this) {
        Node n = nodes.get(r.getNodeId());
        reply = drainStatuses.get(r.getNodeId());
        if (reply == null && n == null) {
          out.onError(Status.NOT_FOUND.withDescription("node " + r.getNodeId() + " not found").asRuntimeException());
          return;
        }
        if (reply == null) {
          reply = DrainStatusReply.newBuilder().setNodeId(n.getId()).setDraining(n.getDraining())
              .setDeadlineMs(n.getDrainDeadlineMs()).build();
        }
      }
      out.onNext(reply);
      out.onCompleted();
    }

    @Override
    public void transferLeader(TransferLeaderRequest r, StreamObserver<TransferLeaderReply> out) {
      if (!intercept(r, null, out)) {
        out.onNext(TransferLeaderReply.newBuilder()
            .setLeader(r.getTarget().isEmpty() ? "c2" : r.getTarget()).build());
        out.onCompleted();
      }
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  public void shutdownNow() {
    server.shutdownNow();
  }
}
