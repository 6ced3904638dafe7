package org.openautoglm.oag.bench.fleet;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.Capacity;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated agent speaking the agent protocol as the real one does: Register, then one
 * Session stream with a Hello carrying its inventory; once the desired set comes, heartbeats
 * (sent by a {@link HeartbeatShard}, not by a thread of its own) with host metrics and its
 * allocations' statuses; the desired sets "run" in {@link SimAllocations}. Messages from a
 * term below the highest seen are dropped. Any failure (a refused register, a failed or
 * completed stream, a session silent for the idle timeout) ends the session and registers
 * again after the real agent's backoff, through the {@link RegisterGate}, with the coordinator
 * the {@link LeaderLocator} names then; a node declared DOWN meanwhile has its stream ended by
 * the leader and so comes back UP by registering again.
 *
 * <p>It remembers the send time of its last few heartbeats, to time their acks, and its
 * {@link SendGap}s, to judge DOWN verdicts.
 *
 * <p>Threading: every method is thread-safe (the agent's lock guards its state; callbacks of a
 * register or stream this agent has since given up are ignored). gRPC callbacks arrive on the
 * channel executor, heartbeats on a shard thread, retries on the timer.
 */
final class SimAgent {
  private static final Logger LOG = LoggerFactory.getLogger(SimAgent.class);
  /** A register may wait for a log write on a busy leader; its own proposal times out at 10 s. */
  static final long REGISTER_DEADLINE_MS = 10_000;

  /** What every agent of a simulation shares. */
  record Shared(AgentsConfig config, ChannelPool channels, LeaderLocator locator, RegisterGate gate,
      ScheduledExecutorService timer, SimStats stats, int coordinators, long idleNanos) {}

  /** Where a session stands. */
  enum State { NEW, REGISTERING, OPENING, ESTABLISHED, BACKOFF, CLOSED }

  /** What a DOWN verdict found: the agent's longest send gap since the last, and its session. */
  record Verdict(long gapNanos, boolean established) {}

  private final int index;
  private final Shared shared;
  private final RegisterRequest registration;
  private final SendGap gap = new SendGap();
  private final SimAllocations allocations;
  private final SplittableRandom random;
  private final AckClock acks = new AckClock();

  // Guarded by this.
  private State state = State.NEW;
  private long call;              // the register or stream now current; older callbacks are ignored
  private long attempts;
  private String target;
  private StreamObserver<AgentMessage> requests;
  private long lastHeardNanos;
  private long maxTerm;
  private long seq;
  private int failures;           // since the last established session
  private long doublingNanos;
  private boolean registeredOnce;
  private boolean establishedOnce;

  SimAgent(int index, Shared shared, String bootId, long seed) {
    this.index = index;
    this.shared = shared;
    AgentsConfig c = shared.config();
    this.registration = registration(c, index, bootId);
    this.allocations = new SimAllocations(100_000L + 1_000L * index);
    this.random = new SplittableRandom(seed);
    this.doublingNanos = c.backoffMin().toNanos();
  }

  /** Agent {@code k}'s register request: its node id, capacity and the {@code sim} labels. */
  static RegisterRequest registration(AgentsConfig c, int k, String bootId) {
    return RegisterRequest.newBuilder()
        .setNodeId(c.nodeId(k))
        .setBootId(bootId)
        .setAddress("127.0.0.1")
        .setCapacity(Capacity.newBuilder().setCpuMillis(c.cpuMillis()).setMemoryMib(c.memoryMib()))
        .putLabels("sim", "true")
        .putLabels(AgentSimulation.RUN_LABEL, c.nodePrefix())
        .build();
  }

  String nodeId() {
    return registration.getNodeId();
  }

  /**
   * Starts a register (called by the {@link RegisterGate}); false when the agent is closed and
   * nothing was started.
   */
  boolean register() {
    long myCall;
    String to;
    long sentAt;
    synchronized (this) {
      if (state == State.CLOSED) {
        return false;
      }
      state = State.REGISTERING;
      myCall = ++call;
      to = target = shared.locator().target(index, attempts++);
      sentAt = System.nanoTime();
    }
    AtomicBoolean ended = new AtomicBoolean();
    AgentServiceGrpc.newStub(shared.channels().channel(to, index))
        .withWaitForReady()
        .withDeadlineAfter(REGISTER_DEADLINE_MS, TimeUnit.MILLISECONDS)
        .register(registration, new StreamObserver<>() {
          @Override
          public void onNext(RegisterReply reply) {
            registered(myCall, reply, sentAt);
            if (ended.compareAndSet(false, true)) {
              shared.gate().done();
            }
          }

          @Override
          public void onError(Throwable t) {
            failed(myCall, "register " + Status.fromThrowable(t).getCode());
            if (ended.compareAndSet(false, true)) {
              shared.gate().done();
            }
          }

          @Override
          public void onCompleted() {
            if (ended.compareAndSet(false, true)) {
              shared.gate().done();
            }
          }
        });
    return true;
  }

  private synchronized void registered(long myCall, RegisterReply reply, long sentAt) {
    if (myCall != call || state != State.REGISTERING) {
      return;
    }
    if (!registeredOnce) {
      registeredOnce = true;
      shared.stats().registered();
    }
    maxTerm = Math.max(maxTerm, reply.getTerm());
    gap.sent(sentAt);   // the leader counts a node as heard when its register arrives
    long streamCall = ++call;
    requests = AgentServiceGrpc.newStub(shared.channels().channel(target, index))
        .session(new StreamObserver<>() {
          @Override
          public void onNext(CoordinatorMessage m) {
            received(streamCall, m);
          }

          @Override
          public void onError(Throwable t) {
            failed(streamCall, "session " + Status.fromThrowable(t).getCode());
          }

          @Override
          public void onCompleted() {
            failed(streamCall, "session completed by the coordinator");
          }
        });
    state = State.OPENING;
    long now = System.nanoTime();
    lastHeardNanos = now;
    requests.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder()
        .setNodeId(registration.getNodeId())
        .setBootId(registration.getBootId())
        .setMaxTermSeen(maxTerm)
        .addAllInventory(allocations.inventory())).build());
    gap.sent(now);
  }

  private synchronized void received(long myCall, CoordinatorMessage m) {
    if (myCall != call || state == State.CLOSED) {
      return;
    }
    if (m.getTerm() < maxTerm) {
      shared.stats().staleDropped();
      return;
    }
    maxTerm = m.getTerm();
    long now = System.nanoTime();
    lastHeardNanos = now;
    switch (m.getBodyCase()) {
      case DESIRED_SET -> {
        allocations.apply(m.getTerm(), m.getDesiredSet(), now);
        if (state == State.OPENING) {
          state = State.ESTABLISHED;
          failures = 0;
          doublingNanos = shared.config().backoffMin().toNanos();
          if (!establishedOnce) {
            establishedOnce = true;
            shared.stats().establishedFirst();
          }
        }
      }
      case ACK -> acks.acked(m.getAck().getSeq(), now).ifPresent(shared.stats()::acked);
      case LOG_REQUEST -> answer(m.getLogRequest());
      default -> { }
    }
  }

  /** A simulated agent keeps no output: every log request ends at once, saying so. */
  private void answer(LogRequest request) {
    shared.stats().logRequest();
    if (!request.getCancel()) {
      requests.onNext(AgentMessage.newBuilder().setLogData(LogData.newBuilder()
          .setRequestId(request.getRequestId()).setEnd(true)
          .setError("a simulated agent (oag bench agents) runs no process and has no output")).build());
    }
  }

  private synchronized void failed(long myCall, String reason) {
    if (myCall != call || state == State.CLOSED) {
      return;
    }
    retry(reason);
  }

  /** Gives up the current register or session and registers again after the backoff. Locked. */
  private void retry(String reason) {
    boolean wasEstablished = state == State.ESTABLISHED;
    call++;
    if (requests != null) {
      try {
        requests.onError(Status.CANCELLED.withDescription(reason).asRuntimeException());
      } catch (RuntimeException e) {
        // already over
      }
      requests = null;
    }
    state = State.BACKOFF;
    shared.stats().failed(reason);
    shared.locator().suspect(target);
    long delay = nextDelayNanos();
    if (wasEstablished) {
      LOG.debug("event=sim_session_ended node={} target={} reason=\"{}\" retry_ms={}", nodeId(), target,
          reason, TimeUnit.NANOSECONDS.toMillis(delay));
    }
    try {
      shared.timer().schedule(() -> shared.gate().offer(this), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      state = State.CLOSED;   // the simulation is closing
    }
  }

  /** The real agent's backoff: the minimum while there are coordinators left to try, then doubling. */
  private long nextDelayNanos() {
    if (++failures < shared.coordinators()) {
      return shared.config().backoffMin().toNanos();
    }
    long delay = doublingNanos;
    doublingNanos = Math.min(doublingNanos * 2, shared.config().backoffMax().toNanos());
    return delay;
  }

  /**
   * Sends a heartbeat now if the session is established (called by a {@link HeartbeatShard});
   * whether it sent one. A session silent for the idle timeout is given up instead. The ack of a
   * {@code measured} heartbeat is timed.
   */
  synchronized boolean beat(boolean measured) {
    if (state != State.ESTABLISHED && state != State.OPENING) {
      return false;
    }
    long now = System.nanoTime();
    if (now - lastHeardNanos > shared.idleNanos()) {
      retry("session idle");
      return false;
    }
    if (state != State.ESTABLISHED) {
      return false;
    }
    long n = ++seq;
    Heartbeat.Builder hb = Heartbeat.newBuilder()
        .setSeq(n)
        .setSentAtMs(System.currentTimeMillis())
        .setHost(host());
    allocations.report(hb, now, random);
    AgentMessage message = AgentMessage.newBuilder().setHeartbeat(hb).build();
    long sentAt = System.nanoTime();
    acks.sent(n, sentAt, measured);
    requests.onNext(message);
    gap.sent(sentAt);
    return true;
  }

  /** Made-up host metrics of a busy-enough machine with this node's memory. */
  private HostMetrics host() {
    AgentsConfig c = shared.config();
    double cpu = 5 + random.nextInt(55);
    return HostMetrics.newBuilder()
        .setCpuPercent(cpu)
        .setMemoryTotalMib(c.memoryMib())
        .setMemoryUsedMib(c.memoryMib() * (20 + random.nextInt(60)) / 100)
        .setLoad1(cpu / 100.0 * c.cpuMillis() / 1000.0)
        .build();
  }

  /**
   * Ends the session cleanly (half-closes the stream, so the coordinator sees the agent go) and
   * stops for good; idempotent.
   */
  synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    State was = state;
    state = State.CLOSED;
    call++;
    if (requests != null) {
      try {
        if (was == State.ESTABLISHED || was == State.OPENING) {
          requests.onCompleted();
        }
      } catch (RuntimeException e) {
        // the stream was already gone
      }
      requests = null;
    }
  }

  synchronized State state() {
    return state;
  }

  /** The coordinator of the current register or session; null before the first. */
  synchronized String target() {
    return target;
  }

  synchronized int runningAllocations() {
    return allocations.running();
  }

  /** The longest gap between this agent's sends over the run, the one open now included. */
  synchronized long longestGapNanos(long nowNanos) {
    return gap.longestNanos(nowNanos);
  }

  /** A DOWN verdict on this node arrived at {@code nowNanos}: what the agent saw; starts a new span. */
  synchronized Verdict downVerdict(long nowNanos) {
    Verdict v = new Verdict(gap.longestSinceMarkNanos(nowNanos), state == State.ESTABLISHED);
    gap.mark();
    return v;
  }
}
