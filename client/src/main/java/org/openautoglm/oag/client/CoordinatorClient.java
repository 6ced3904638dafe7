package org.openautoglm.oag.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.Task;

/**
 * Client of a coordinator cluster's gRPC API: one method per TaskService and ClusterService
 * RPC.
 *
 * <p><b>Routing.</b> The client starts with the first configured address and sticks to the
 * node that answers. A node that is not the leader answers with the leader's address; the
 * client follows it at once, or tries the next address with backoff when no leader is known.
 *
 * <p><b>Retries and idempotency.</b> Every write carries (client id, request id). The client
 * id is fixed per client ({@link ClientConfig#clientId()}); the request id is a fresh UUID
 * per logical call unless the caller passes one. All attempts of one call reuse the same
 * pair, so the coordinator applies the write once however often it is retried; passing the
 * same request id again later (from another client with the same client id, too) returns the
 * original result. The same pair with a different payload fails with
 * {@link FailedPreconditionException}.
 *
 * <p><b>Time.</b> Each attempt gets {@link ClientConfig#deadline()} (default 10 s); one call
 * keeps retrying for at most {@link ClientConfig#retryBudget()} (default 30 s).
 *
 * <p><b>Failures</b> are unchecked {@link OagException}s: {@link UnavailableException} when no
 * coordinator took the request within the budget (nothing applied); {@link
 * IndeterminateException} when a write may have been applied (retry with its request id);
 * {@link InvalidArgumentException}, {@link NotFoundException} and {@link
 * FailedPreconditionException} as the server answered, without retrying.
 *
 * <p><b>Reads</b> are linearizable by default; pass {@link ReadConsistency#STALE} to let any
 * node answer from its local, possibly lagging, state.
 *
 * <p><b>Streams</b> ({@link #events}, {@link #logs}) return a {@link Subscription} at once
 * and deliver to a sink on a thread of their own; their attempts follow the same routing
 * and retry rules until the stream opens, and what happens when an open stream breaks is
 * stated on each.
 *
 * <p><b>Threading.</b> Implementations are thread-safe; calls block the calling thread.
 * Share one client per process and {@link #close()} it when done.
 */
public interface CoordinatorClient extends AutoCloseable {

  /** Connects to a comma-separated list of host:port with default settings. */
  static CoordinatorClient connect(String addresses) {
    return connect(ClientConfig.builder(addresses).build());
  }

  static CoordinatorClient connect(ClientConfig config) {
    return new GrpcCoordinatorClient(config, Ticker.SYSTEM);
  }

  /** A fresh request id (a random UUID). */
  static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  /** The client half of every idempotency key this client sends. */
  String clientId();

  /** Stores a task in CREATED; nothing runs until {@link #start}. */
  Task create(org.openautoglm.oag.api.v1.TaskSpec spec, String requestId);

  /** Creates and starts a task in one step; it is PENDING (or later) when this returns. */
  Task submit(org.openautoglm.oag.api.v1.TaskSpec spec, String requestId);

  Task start(String taskId, String requestId);

  Task stop(String taskId, String requestId);

  Task pause(String taskId, String requestId);

  Task resume(String taskId, String requestId);

  Task get(String taskId, ReadConsistency consistency);

  /**
   * The task as the leader knows it, with its allocation's live metrics (CPU, RSS, GPU), which
   * only the leader holds; linearizable.
   */
  Task getLive(String taskId);

  /** One page; pass "" (or null) for the first, then the previous page's token. */
  TaskPage list(TaskQuery query, String pageToken);

  ClusterStatus clusterStatus();

  /**
   * Moves leadership to the member with id {@code target}, or to any other member when
   * {@code target} is null or empty; returns the new leader's id.
   */
  String transferLeader(String target);

  /**
   * The registered nodes: capacity and use from replicated state, heartbeat age, connection
   * and host load from the leader's memory. Answered by the leader only; a follower's
   * not-leader answer is followed like a write's.
   */
  List<Node> listNodes();

  /**
   * Cordons node {@code nodeId}: no new work is placed there; what runs there stays. Setting
   * what is already set changes nothing, so it is retried like a read. Throws
   * {@link NotFoundException} for a node never registered.
   */
  Node cordon(String nodeId);

  /** Makes node {@code nodeId} eligible for new work again; see {@link #cordon}. */
  Node uncordon(String nodeId);

  /**
   * Drains node {@code nodeId}: cordons it and migrates its work off; what has not moved when
   * {@code deadline} (from now; null or zero: none; at most 7 days) has passed is stopped
   * there. Returns the node, draining. Like {@link #cordon}, retried like a read (the request
   * carries no idempotency key). Throws {@link NotFoundException} for a node never registered
   * and {@link InvalidArgumentException} naming {@code deadline_ms} for a deadline too long.
   */
  Node drain(String nodeId, Duration deadline);

  /**
   * Ends node {@code nodeId}'s drain: the node stays cordoned and migrations already begun go
   * on; nothing more is moved. Retried like {@link #drain}.
   */
  Node cancelDrain(String nodeId);

  /**
   * What node {@code nodeId}'s drain still waits for (each live allocation there, and why),
   * and how its last drain ended. Any member answers, once it has caught up with the leader.
   */
  DrainStatusReply drainStatus(String nodeId);

  /** The failure detection and fencing settings in force, and the storm guard's state. */
  FailoverSettings failoverSettings();

  /**
   * Replaces the failover settings (a field left 0 takes its default) and returns those in
   * force. Throws {@link InvalidArgumentException} naming the field when the TTL would be
   * shorter than {@code lease * (1 + rate) + keeper period + 0.5 s}. Retried like a read:
   * setting the same settings twice changes nothing.
   */
  FailoverSettings setFailoverSettings(FailoverSettings settings);

  /**
   * The rebalancer's settings in force, defaults filled in. Any member answers, once it has
   * caught up with the leader.
   */
  RebalanceSettings rebalanceSettings();

  /**
   * Replaces the rebalancer's settings (a field left 0 takes its default; {@code disabled}
   * stops it) and returns those in force. Throws {@link InvalidArgumentException} naming the
   * field ({@code settings.threshold_percent}, ...) for a value out of range. Retried like a
   * read: setting the same settings twice changes nothing.
   */
  RebalanceSettings setRebalanceSettings(RebalanceSettings settings);

  /**
   * Streams the event log into {@code sink}, in (index, position) order.
   *
   * <p>Without follow the stream ends after the last matching event (or {@code limit}); with
   * follow it goes on until closed. When the member serving it dies or ends it, the stream
   * resumes at another member from the last delivered (index, position): the sink sees every
   * event once, none twice. It fails only when no member could serve it for a whole retry
   * budget, or on an answer that a retry cannot change (see {@link CoordinatorClient}).
   */
  Subscription events(EventQuery query, Consumer<Event> sink);

  /**
   * Streams a task's output into {@code sink} as it arrives, chunk by chunk. Answered by the
   * leader only (it fetches the output from the task's agent); the leader is found as for
   * any call until the first byte arrives. Once output was delivered, a stream that breaks
   * fails the subscription (chunks carry no offset, so it cannot be resumed without
   * repeating or skipping output); with follow, it ends normally when the allocation ends.
   * An unknown task fails with {@link NotFoundException}.
   */
  Subscription logs(LogQuery query, Consumer<byte[]> sink);

  /** Releases the channels; calls in flight fail. Idempotent. */
  @Override
  void close();

  default Task create(org.openautoglm.oag.api.v1.TaskSpec spec) {
    return create(spec, newRequestId());
  }

  default Task create(TaskSpec spec) {
    return create(spec.toProto(), newRequestId());
  }

  default Task create(TaskSpec spec, String requestId) {
    return create(spec.toProto(), requestId);
  }

  default Task submit(org.openautoglm.oag.api.v1.TaskSpec spec) {
    return submit(spec, newRequestId());
  }

  default Task submit(TaskSpec spec) {
    return submit(spec.toProto(), newRequestId());
  }

  default Task submit(TaskSpec spec, String requestId) {
    return submit(spec.toProto(), requestId);
  }

  default Task start(String taskId) {
    return start(taskId, newRequestId());
  }

  default Task stop(String taskId) {
    return stop(taskId, newRequestId());
  }

  default Task pause(String taskId) {
    return pause(taskId, newRequestId());
  }

  default Task resume(String taskId) {
    return resume(taskId, newRequestId());
  }

  /** Linearizable read of one task. */
  default Task get(String taskId) {
    return get(taskId, ReadConsistency.LINEARIZABLE);
  }

  /**
   * Blocking shorthand: at most {@code limit} events (0 = the server's default, 1000) of
   * entries after {@code sinceIndex}, without follow.
   */
  default List<Event> events(long sinceIndex, int limit) {
    List<Event> out = new ArrayList<>();
    try (Subscription s = events(EventQuery.since(sinceIndex).withLimit(limit), out::add)) {
      s.await();
    }
    return out;
  }

  /**
   * Every task matching {@code query}, fetching pages lazily as the stream is consumed; each
   * page is its own (retried) read, so a long iteration is not one snapshot.
   */
  default Stream<Task> listAll(TaskQuery query) {
    return Pages.stream(this, query);
  }
}
