package org.openautoglm.oag.coordinator.api;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ListTasksReply;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.LogChunk;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskReply;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.command.v1.UpdateTaskDesired;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.fleet.LogRouter;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.CommandValidator;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.coordinator.state.TaskPage;
import org.openautoglm.oag.coordinator.state.TaskQuery;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * gRPC TaskService. Writes are validated here (so bad input never reaches the
 * log), then group-committed through the {@link Proposer} on the leader; a
 * follower answers not-leader with the leader's address. Reads are
 * linearizable by default (a ReadIndex barrier, then the local views) and
 * answered by any member; STALE reads skip the barrier.
 */
final class TaskEndpoint extends TaskServiceGrpc.TaskServiceImplBase {
  static final int COMMAND_VERSION = 1;
  private static final int MAX_PAGE = 1000;
  /** Keeps every List reply far below gRPC's 4 MiB message limit, whatever the specs hold. */
  private static final int MAX_PAGE_BYTES = 2 << 20;

  private final RaftNode raft;
  private final Proposer proposer;
  private final Duration deadline;
  private final Executor reads;
  private final FleetView fleet;
  private final LogRouter logs;

  /**
   * @param reads runs read bodies (view lookups, page assembly), so they never run on Ratis threads
   * @param fleet live process metrics for the tasks' allocations
   */
  TaskEndpoint(RaftNode raft, Proposer proposer, Duration deadline, Executor reads, FleetView fleet,
      LogRouter logs) {
    this.logs = logs;
    this.raft = raft;
    this.proposer = proposer;
    this.deadline = deadline;
    this.reads = reads;
    this.fleet = fleet;
  }

  @Override
  public void create(CreateTaskRequest request, StreamObserver<TaskReply> out) {
    submitTask(request, false, out);
  }

  @Override
  public void submit(CreateTaskRequest request, StreamObserver<TaskReply> out) {
    submitTask(request, true, out);
  }

  private void submitTask(CreateTaskRequest request, boolean start, StreamObserver<TaskReply> out) {
    Command command = Command.newBuilder()
        .setHeader(header(request.getMeta()))
        .setSubmitTask(SubmitTask.newBuilder().setSpec(ApiMapper.toRecord(request.getSpec())).setStart(start))
        .build();
    write(command, out);
  }

  @Override
  public void start(TaskActionRequest request, StreamObserver<TaskReply> out) {
    update(request, UpdateTaskDesired.Action.START, out);
  }

  @Override
  public void stop(TaskActionRequest request, StreamObserver<TaskReply> out) {
    update(request, UpdateTaskDesired.Action.STOP, out);
  }

  @Override
  public void pause(TaskActionRequest request, StreamObserver<TaskReply> out) {
    update(request, UpdateTaskDesired.Action.PAUSE, out);
  }

  @Override
  public void resume(TaskActionRequest request, StreamObserver<TaskReply> out) {
    update(request, UpdateTaskDesired.Action.RESUME, out);
  }

  private void update(TaskActionRequest request, UpdateTaskDesired.Action action, StreamObserver<TaskReply> out) {
    Command command = Command.newBuilder()
        .setHeader(header(request.getMeta()))
        .setUpdateTaskDesired(UpdateTaskDesired.newBuilder().setTaskId(request.getTaskId()).setAction(action))
        .build();
    String id = request.getTaskId();
    if (!request.getMeta().getRequestId().isEmpty() || !raft.isLeader() || !StateStore.isTaskId(id)) {
      // With a request id the dedupe table decides (a retry must get its original answer).
      write(command, out);
      return;
    }
    // After a read barrier this leader has applied every acknowledged creation, so an id it
    // does not know was never handed out: refuse it without a log entry. Apply checks again.
    raft.readBarrier().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, error) -> {
      if (error == null && absent(id)) {
        out.onError(ApiErrors.toStatus(new CoordinatorException.NotFound("task " + id + " not found")));
      } else {
        write(command, out);
      }
    });
  }

  /** Whether the store surely lacks {@code id}; false when it cannot tell (apply decides then). */
  private boolean absent(String id) {
    try {
      return raft.store().task(id).isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static CommandHeader header(RequestMeta meta) {
    return CommandHeader.newBuilder()
        .setVersion(COMMAND_VERSION)
        .setClientId(meta.getClientId())
        .setRequestId(meta.getRequestId())
        .build();
  }

  private void write(Command command, StreamObserver<TaskReply> out) {
    Optional<CommandValidator.Violation> bad = CommandValidator.validate(command);
    if (bad.isPresent()) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument(bad.get().field(), bad.get().message())));
      return;
    }
    CompletableFuture<TaskReply> reply = proposer.propose(command)
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(this::toReply);
    Replies.send(reply, out);
  }

  private TaskReply toReply(CommandResult r) {
    return switch (r.getCode()) {
      case OK -> TaskReply.newBuilder().setTask(ApiMapper.toApi(r.getTask(), fleet)).build();
      case NOT_FOUND -> throw new CoordinatorException.NotFound(r.getMessage());
      case FAILED_PRECONDITION -> throw new CoordinatorException.FailedPrecondition(r.getMessage());
      case INVALID_ARGUMENT -> throw new CoordinatorException.InvalidArgument(r.getField(), r.getMessage());
      default -> throw new CoordinatorException.Indeterminate("unexpected apply result " + r.getCode(), null);
    };
  }

  /** Output comes from the task's agent, through this leader (see {@link LogRouter}). */
  @Override
  public void logs(LogsRequest request, StreamObserver<LogChunk> out) {
    logs.open(request, out);
  }

  @Override
  public void get(GetTaskRequest request, StreamObserver<TaskReply> out) {
    String id = request.getTaskId();
    if (!StateStore.isTaskId(id)) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("task_id",
          id.isEmpty() ? "must not be empty" : "malformed task id '" + abbreviate(id) + "'")));
      return;
    }
    if (request.getLive() && !raft.isLeader()) {
      out.onError(ApiErrors.toStatus(raft.notLeader()));
      return;
    }
    Replies.send(read(request.getConsistency(), () -> raft.store().task(id)
        .map(t -> TaskReply.newBuilder().setTask(ApiMapper.toApi(t, fleet)).build())
        .orElseThrow(() -> new CoordinatorException.NotFound("task " + id + " not found"))), out);
  }

  @Override
  public void list(ListTasksRequest request, StreamObserver<ListTasksReply> out) {
    TaskQuery query;
    try {
      query = query(request);
    } catch (CoordinatorException e) {
      out.onError(ApiErrors.toStatus(e));
      return;
    }
    Replies.send(read(request.getConsistency(), () -> page(query)), out);
  }

  private static TaskQuery query(ListTasksRequest request) {
    if (request.getPageSize() < 0) {
      throw new CoordinatorException.InvalidArgument("page_size", "must not be negative");
    }
    if (!StateStore.isPageToken(request.getPageToken())) {
      throw new CoordinatorException.InvalidArgument("page_token", "not a token from a previous List reply");
    }
    Set<TaskStatus> states = EnumSet.noneOf(TaskStatus.class);
    for (TaskState s : request.getStatesList()) {
      if (s == TaskState.TASK_STATE_UNSPECIFIED || s == TaskState.UNRECOGNIZED) {
        throw new CoordinatorException.InvalidArgument("states", "unknown task state " + s);
      }
      states.add(ApiMapper.toRecord(s));
    }
    int size = request.getPageSize() == 0 ? 100 : Math.min(request.getPageSize(), MAX_PAGE);
    return new TaskQuery(states, request.getNamePrefix(), request.getNode(), request.getPageToken(), size);
  }

  private ListTasksReply page(TaskQuery query) {
    TaskPage page = raft.store().listTasks(query);
    ListTasksReply.Builder reply = ListTasksReply.newBuilder();
    int bytes = 0;
    for (TaskRecord t : page.tasks()) {
      var task = ApiMapper.toApi(t, fleet);
      bytes += task.getSerializedSize() + 8;
      if (bytes > MAX_PAGE_BYTES && reply.getTasksCount() > 0) {
        // Cut short by size: continue after the last task sent.
        String last = reply.getTasks(reply.getTasksCount() - 1).getId();
        return reply.setNextPageToken(last.substring(1)).build();
      }
      reply.addTasks(task);
    }
    return reply.setNextPageToken(page.nextPageToken()).build();
  }

  private <T> CompletableFuture<T> read(ReadConsistency consistency, java.util.function.Supplier<T> body) {
    CompletableFuture<Void> barrier = consistency == ReadConsistency.STALE
        ? CompletableFuture.completedFuture(null)
        : raft.readBarrier();
    return barrier.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          if (ApiErrors.unwrap(e) instanceof java.util.concurrent.TimeoutException) {
            throw new CoordinatorException.Overloaded("read timed out waiting for the leader's read index");
          }
          throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        })
        .thenApplyAsync(v -> body.get(), reads);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Completes a unary call from a future, mapping failures in one place. */
  static final class Replies {
    private Replies() {}

    static <T> void send(CompletableFuture<T> future, StreamObserver<T> out) {
      future.whenComplete((value, error) -> {
        if (error != null) {
          out.onError(ApiErrors.toStatus(error));
        } else {
          out.onNext(value);
          out.onCompleted();
        }
      });
    }
  }
}
