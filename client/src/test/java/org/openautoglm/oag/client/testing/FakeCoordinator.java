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
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ListTasksReply;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskReply;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.api.v1.TransferLeaderReply;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;

/**
 * An in-process stand-in for one coordinator: keeps tasks in memory, records what it was
 * sent, and answers scripted failures first. A "follower" answers every call with not-leader.
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
