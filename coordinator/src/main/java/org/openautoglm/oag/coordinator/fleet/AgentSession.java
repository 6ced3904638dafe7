package org.openautoglm.oag.coordinator.fleet;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.HeartbeatAck;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.coordinator.state.FailoverSettings;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's end of one agent's session stream. The first message must be a Hello from a
 * registered node with the boot id it registered; the session then sends the node's complete
 * desired set (again whenever it changes), acks every heartbeat with the term and the lease
 * length once a leadership check begun after it succeeded ({@link LeaseAcks}), and hands the
 * observed allocation states to the {@link TransitionBatcher}. A node declared DOWN meanwhile
 * has its session ended, so that its agent registers again.
 *
 * <p>Threading: inbound messages arrive one at a time on gRPC's executor; outbound messages
 * may be sent from any thread and are serialized here (a gRPC stream is not thread-safe).
 * Every outbound message carries the term this leader had when the session opened; a leader
 * whose term moves on closes its sessions.
 */
final class AgentSession implements StreamObserver<AgentMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

  private final FleetContext ctx;
  private final ServerCallStreamObserver<CoordinatorMessage> out;
  private final long term;
  private volatile String node = "";
  private volatile String bootId = "";
  private volatile boolean attached;
  private boolean ended;              // guarded by this
  private boolean desiredSent;        // guarded by this
  private boolean pushWaiting;        // guarded by this: a push found the stream's buffer full
  /** Observations the batcher settled, by allocation id; inbound thread only. */
  private Map<String, Observed> settled = Map.of();

  AgentSession(FleetContext ctx, StreamObserver<CoordinatorMessage> out, long term) {
    this.ctx = ctx;
    this.out = (ServerCallStreamObserver<CoordinatorMessage>) out;
    this.term = term;
    this.out.setOnCancelHandler(this::detach);   // only allowed before the call returns
    this.out.setOnReadyHandler(this::onReady);
  }

  String node() {
    return node;
  }

  String bootId() {
    return bootId;
  }

  long term() {
    return term;
  }

  @Override
  public void onNext(AgentMessage message) {
    if (!attached && message.getBodyCase() != AgentMessage.BodyCase.HELLO) {
      end(Status.FAILED_PRECONDITION.withDescription("the first message of a session must be a hello"));
      return;
    }
    switch (message.getBodyCase()) {
      case HELLO -> hello(message.getHello());
      case HEARTBEAT -> heartbeat(message.getHeartbeat());
      case LOG_DATA -> ctx.logs().deliver(this, message.getLogData());
      default -> LOG.warn("event=agent_message_ignored node={} reason=\"unknown message body\"", node);
    }
  }

  private void hello(Hello hello) {
    if (attached) {
      LOG.warn("event=agent_message_ignored node={} reason=\"second hello in one session\"", node);
      return;
    }
    NodeRecord registered = ctx.store().node(hello.getNodeId()).orElse(null);
    if (registered == null || !registered.getBootId().equals(hello.getBootId())
        || registered.getStatus() != NodeStatus.UP) {
      end(Status.FAILED_PRECONDITION.withDescription("node '" + hello.getNodeId()
          + "' is not registered with boot id '" + hello.getBootId() + "'; call Register first"));
      return;
    }
    node = hello.getNodeId();
    bootId = hello.getBootId();
    if (!ctx.fleet().attach(this)) {
      end(Status.FAILED_PRECONDITION.withDescription("node '" + node
          + "' already has a session from another agent boot; refused until it is gone"));
      return;
    }
    attached = true;
    LOG.info("event=agent_session_opened node={} boot={} term={} inventory={}", node, bootId, term,
        hello.getInventoryCount());
    observe(HostMetrics.getDefaultInstance(), hello.getInventoryList());
    pushDesiredSet();
    ctx.placer().poke();
  }

  private void heartbeat(Heartbeat heartbeat) {
    NodeRecord stored = ctx.store().node(node).orElse(null);
    if (stored == null || stored.getStatus() != NodeStatus.UP || !stored.getBootId().equals(bootId)) {
      // Declared down (or replaced) meanwhile: its lost allocations are gone from the desired
      // set; registering again brings the node back UP.
      end(Status.FAILED_PRECONDITION.withDescription("node '" + node + "' is "
          + (stored == null ? "unknown" : stored.getStatus() + " with boot " + stored.getBootId())
          + "; register again"));
      return;
    }
    long silentMs = ctx.fleet().heartbeatAgeMs(node);
    observe(heartbeat.getHost(), heartbeat.getAllocationsList());
    FailoverSettings failover = ctx.failover();
    if (silentMs >= failover.availableTtlMs()) {
      // Heard again after a silence long enough for placement to have left it out: it may be
      // used again. (Two heartbeat intervals poked on most heartbeats of an agent beating
      // slower than it was told, so 10,000 of them kept the placer running without a pause.)
      ctx.placer().poke();
    }
    long seq = heartbeat.getSeq();
    long leaseMs = failover.leaseMs();
    ctx.acks().afterLeadershipCheck(term, () -> send(CoordinatorMessage.newBuilder().setAck(
        HeartbeatAck.newBuilder().setSeq(seq).setLeaseMs(leaseMs))));
  }

  /**
   * Hands each observed status to the batcher, except one equal to what the previous
   * heartbeat carried for the allocation once the batcher settled that: the common heartbeat
   * (nothing changed) then costs no store read per allocation.
   */
  private void observe(HostMetrics host, List<AllocationStatus> allocations) {
    ctx.fleet().heard(node, host, allocations);
    Map<String, Observed> now = new HashMap<>();
    for (AllocationStatus s : allocations) {
      Observed o = Observed.of(s);
      if (o.equals(settled.get(s.getAllocationId()))
          || ctx.transitions().observe(node, bootId, s)) {
        now.put(s.getAllocationId(), o);
      }
    }
    settled = now;
  }

  /**
   * What of an allocation's status is replicated (not its metrics or reason): all of it must
   * be here, or a change of the rest (readiness, which hands a migration over) would be taken
   * for the heartbeat before and never reach the batcher.
   */
  private record Observed(long generation, AllocationState state, long pid, boolean exited, int exitCode,
      int restarts, boolean ready) {
    static Observed of(AllocationStatus s) {
      return new Observed(s.getGeneration(), s.getState(), s.getPid(), s.getExited(), s.getExitCode(),
          s.getRestarts(), s.getReady());
    }
  }

  /**
   * Sends the node's desired set as replicated now, unless the agent already has the same one.
   * While the agent has not read what was sent before (the stream is not ready), the push
   * waits for it to drain: a set is the whole state, so only the latest matters, and the
   * leader buffers at most one behind a slow agent instead of every one it pushed.
   */
  void pushDesiredSet() {
    synchronized (this) {   // one push at a time, so sets go out in the order they were read
      if (!out.isReady()) {
        pushWaiting = true;
        return;
      }
      pushWaiting = false;
      long version = ctx.store().meta().getAppliedIndex();
      List<DesiredAllocation> entries = ctx.fleet().desired(node).refresh(ctx.store().taskVersionsOnNode(node),
          id -> ctx.store().task(id).orElse(null), !desiredSent);
      desiredSent = true;
      if (entries != null) {
        send(CoordinatorMessage.newBuilder().setDesiredSet(DesiredSets.of(version, entries)));
      }
    }
  }

  private void onReady() {
    boolean push;
    synchronized (this) {
      push = pushWaiting && !ended;
    }
    if (push) {
      pushDesiredSet();
    }
  }

  void requestLogs(LogRequest request) {
    send(CoordinatorMessage.newBuilder().setLogRequest(request));
  }

  private void send(CoordinatorMessage.Builder message) {
    synchronized (this) {
      if (ended) {
        return;
      }
      try {
        out.onNext(message.setTerm(term).build());
      } catch (RuntimeException e) {   // the call was cancelled under us
        LOG.debug("event=agent_send_failed node={} reason=\"{}\"", node, e.toString());
      }
    }
  }

  /** Ends the stream with {@code status} (the agent reconnects) and forgets the session. */
  void end(Status status) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      try {
        if (status.isOk()) {
          out.onCompleted();
        } else {
          out.onError(status.asRuntimeException());
        }
      } catch (RuntimeException e) {
        LOG.debug("event=agent_session_end_failed node={} reason=\"{}\"", node, e.toString());
      }
    }
    detach();
    if (!node.isEmpty()) {
      LOG.info("event=agent_session_ended node={} status={} reason=\"{}\"", node, status.getCode(),
          Objects.toString(status.getDescription(), ""));
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      ended = true;
    }
    detach();
    LOG.info("event=agent_session_broken node={} reason=\"{}\"", node, Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end(Status.OK);
  }

  private void detach() {
    if (attached) {
      ctx.fleet().detach(this);
      ctx.logs().sessionEnded(this);
    }
  }
}
