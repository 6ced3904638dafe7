package org.openautoglm.oag.coordinator.fleet;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.api.v1.LogChunk;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.api.ApiErrors;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * Serves {@code TaskService.Logs} on the leader: the request travels to the task's agent over
 * its session stream (agents have no inbound port) and the agent's LogData chunks come back
 * the same way and are forwarded to the caller. A request ends when the agent says so, when
 * the caller cancels (the agent is told to stop), or when the agent's session ends (the caller
 * gets UNAVAILABLE and may ask again). Thread-safe.
 */
public final class LogRouter {
  /** What {@code tail_bytes = 0} means. */
  static final long DEFAULT_TAIL_BYTES = 64 * 1024;

  private record Pending(AgentSession session, ServerCallStreamObserver<LogChunk> caller) {}

  private final FleetSource fleet;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  /** The fleet and store of this node, as they are now. */
  interface FleetSource {
    boolean leads();

    Fleet fleet();

    StateStore store();

    CoordinatorException.NotLeader notLeader();
  }

  LogRouter(FleetSource fleet) {
    this.fleet = fleet;
  }

  /** Starts serving {@code request} to {@code out}; completes or fails {@code out} later. */
  public void open(LogsRequest request, StreamObserver<LogChunk> out) {
    ServerCallStreamObserver<LogChunk> caller = (ServerCallStreamObserver<LogChunk>) out;
    try {
      AgentSession session = sessionFor(request);
      long id = ids.incrementAndGet();
      String allocation = fleet.store().task(request.getTaskId()).orElseThrow().getAllocation().getId();
      pending.put(id, new Pending(session, caller));
      caller.setOnCancelHandler(() -> {
        if (pending.remove(id) != null) {
          session.requestLogs(LogRequest.newBuilder().setRequestId(id).setCancel(true).build());
        }
      });
      session.requestLogs(LogRequest.newBuilder()
          .setRequestId(id)
          .setAllocationId(allocation)
          .setStderr(request.getStderr())
          .setTailBytes(request.getTailBytes() > 0 ? request.getTailBytes() : DEFAULT_TAIL_BYTES)
          .setFollow(request.getFollow())
          .build());
    } catch (RuntimeException e) {
      out.onError(ApiErrors.toStatus(e));
    }
  }

  private AgentSession sessionFor(LogsRequest request) {
    if (request.getTaskId().isEmpty() || !StateStore.isTaskId(request.getTaskId())) {
      throw new CoordinatorException.InvalidArgument("task_id", request.getTaskId().isEmpty()
          ? "must not be empty" : "malformed task id '" + request.getTaskId() + "'");
    }
    if (request.getTailBytes() < 0) {
      throw new CoordinatorException.InvalidArgument("tail_bytes", "must not be negative");
    }
    if (!fleet.leads()) {
      throw fleet.notLeader();
    }
    TaskRecord task = fleet.store().task(request.getTaskId())
        .orElseThrow(() -> new CoordinatorException.NotFound("task " + request.getTaskId() + " not found"));
    if (!task.hasAllocation()) {
      throw new CoordinatorException.FailedPrecondition("task " + task.getId()
          + " has not been placed on a node yet; it has no output");
    }
    String node = task.getAllocation().getNode();
    return fleet.fleet().session(node).orElseThrow(() -> Status.UNAVAILABLE.withDescription(
        "the agent of node " + node + " is not connected to the leader; its output cannot be read now")
        .asRuntimeException());
  }

  /** A chunk from {@code from}'s agent. Ignored unless it answers a request sent to that agent. */
  void deliver(AgentSession from, LogData data) {
    Pending p = pending.get(data.getRequestId());
    if (p == null || p.session() != from) {
      return;
    }
    if (!data.getData().isEmpty()) {
      p.caller().onNext(LogChunk.newBuilder().setData(data.getData()).build());
    }
    if (data.getEnd() && pending.remove(data.getRequestId(), p)) {
      if (data.getError().isEmpty()) {
        p.caller().onCompleted();
      } else {
        p.caller().onError(Status.FAILED_PRECONDITION.withDescription(data.getError()).asRuntimeException());
      }
    }
  }

  /** Fails every request served by {@code session}: its stream is gone. */
  void sessionEnded(AgentSession session) {
    pending.entrySet().removeIf(e -> {
      if (e.getValue().session() != session) {
        return false;
      }
      e.getValue().caller().onError(Status.UNAVAILABLE
          .withDescription("the agent's session ended; ask again").asRuntimeException());
      return true;
    });
  }
}
