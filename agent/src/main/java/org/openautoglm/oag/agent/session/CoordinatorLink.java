package org.openautoglm.oag.agent.session;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.HeartbeatAck;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one session with the leader: register, open the {@code Session} stream, send a
 * Hello with the full inventory, wait for the desired set, then heartbeat every interval until
 * the stream ends, and start over with the other coordinators.
 *
 * <p>Why it works this way: the agent never knows who leads; any coordinator relays to the
 * leader. It stays with the one that last worked until any failure (a refused stream,
 * UNAVAILABLE, FAILED_PRECONDITION, an error, a completed stream, or {@code idleTimeout}
 * without an admitted message), then registers with every other coordinator at once and keeps
 * the first that answers: a coordinator cut off from the agent drops packets rather than
 * refusing, and trying them one by one cost a register deadline for each cut-off one, while
 * the leader's TTL for the agent ran (chaos: an agent cut off from the leader and its session's
 * coordinator lost its available work before it reached the third). The coordinator that just
 * failed sits out one round, so a deposed leader that still answers cannot win every round.
 * A round in which none answers is followed by the next, with every coordinator, after a
 * {@link ReconnectBackoff} delay that starts over once a session gets its desired set.
 * Registering is idempotent on the coordinators' side, so the losers of a round do no harm.
 * Every message carries the leader's term; one below the highest seen is dropped (WARN with
 * the reason) before it can change anything, so a deposed leader can neither extend the lease
 * nor change the desired set.
 *
 * <p>Threading: all state lives on one thread ({@code oag-agent-link-NODE}), which is also the
 * gRPC callback executor, so sends, receipts, timers and the {@link SessionHandler} calls are
 * serialized. The public methods are thread-safe; {@link #close()} must not be called from a
 * {@link SessionHandler} or {@link LeaseListener} callback.
 */
public final class CoordinatorLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorLink.class);
  /**
   * A register answers in milliseconds (at worst one log write); a coordinator that has not
   * answered in this long is out of reach (a cut link drops packets rather than refusing).
   * Registers wait for the channel to connect within it: after a failure gRPC keeps a channel
   * failing every call until it has connected again, even once the coordinator is back.
   */
  private static final Duration REGISTER_DEADLINE = Duration.ofMillis(750);

  /** One round of registers, one to each coordinator tried; the first to answer wins. */
  private static final class Dial {
    final long number;
    final List<String> targets;
    final List<String> refusals = new ArrayList<>();

    Dial(long number, List<String> targets) {
      this.number = number;
      this.targets = targets;
    }
  }

  /** One session: the stream and heartbeats after a register that won its round. Link thread only. */
  private static final class Session {
    final String target;
    final long number;
    ClientCallStreamObserver<AgentMessage> requests;
    ScheduledFuture<?> ticks;
    volatile boolean established;
    long heartbeatNanos;
    long lastHeardNanos;

    Session(String target, long number) {
      this.target = target;
      this.number = number;
    }
  }

  private final LinkSettings settings;
  private final RegisterRequest registration;
  private final SessionHandler handler;
  private final LeaseListener leaseListener;
  private final ScheduledExecutorService executor;
  private final TermTracker terms = new TermTracker();
  private final AtomicBoolean heartbeatQueued = new AtomicBoolean();

  // Link-thread state.
  private final CoordinatorChannels channels;
  private final LeaseTracker lease = new LeaseTracker();
  private final ReconnectBackoff backoff;
  private Dial dialing;
  private String sitsOut;   // the coordinator whose session just failed: not in the next round
  private long sessions;
  private long seq;

  // Written on the link thread, read anywhere.
  private volatile Session current;
  private volatile OptionalLong leaseDeadline = OptionalLong.empty();
  private volatile boolean closed;

  public CoordinatorLink(LinkSettings settings, RegisterRequest registration, SessionHandler handler,
      LeaseListener leaseListener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.leaseListener = Objects.requireNonNull(leaseListener, "leaseListener");
    this.backoff = new ReconnectBackoff(settings);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "oag-agent-link-" + settings.nodeId());
      t.setDaemon(true);
      return t;
    });
    this.channels = new CoordinatorChannels(executor);
  }

  /** Starts connecting; returns at once. */
  public void start() {
    executor.execute(this::connect);
  }

  /** The highest leader term seen by this agent process. */
  public long maxTermSeen() {
    return terms.highest();
  }

  /** The lease deadline on {@link System#nanoTime()}'s clock; empty before the first ack. */
  public OptionalLong leaseDeadlineNanos() {
    return leaseDeadline;
  }

  /** The coordinator of the session that has its desired set, if any. */
  public Optional<String> connectedTo() {
    Session s = current;
    return s != null && s.established ? Optional.of(s.target) : Optional.empty();
  }

  /**
   * Sends a heartbeat now, outside the interval, if a session is established (so a state
   * change reaches the leader without waiting for the next tick). Calls that arrive while one
   * is queued are folded into it. The future completes once it was sent or skipped.
   */
  public CompletableFuture<Void> heartbeatNow() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!heartbeatQueued.compareAndSet(false, true)) {
      done.complete(null);
      return done;
    }
    try {
      executor.execute(() -> {
        heartbeatQueued.set(false);
        Session s = current;
        if (s != null && s.established) {
          sendHeartbeat(s);
        }
        done.complete(null);
      });
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  /**
   * Ends the session (half-closes the stream, so the coordinator sees a clean end) and stops
   * reconnecting. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      executor.submit(() -> end(current, "agent closing", null, false)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("event=link_close_incomplete node={} error=\"{}\"", settings.nodeId(), e.toString());
    }
    channels.close();
    executor.shutdownNow();
  }

  private void connect() {
    if (closed) {
      return;
    }
    List<String> targets = settings.coordinators().stream().filter(t -> !t.equals(sitsOut)).toList();
    Dial dial = new Dial(++sessions, targets);
    dialing = dial;
    log.info("event=link_connecting node={} coordinators={} attempt={}", settings.nodeId(),
        String.join(",", targets), dial.number);
    for (String target : targets) {
      AgentServiceGrpc.newStub(channels.toTry(target))
          .withWaitForReady()
          .withDeadlineAfter(REGISTER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .register(registration, new StreamObserver<>() {
            @Override
            public void onNext(RegisterReply reply) {
              if (dial != dialing || closed) {
                return;   // another coordinator answered first
              }
              dialing = null;
              sitsOut = null;
              Session s = new Session(target, dial.number);
              current = s;
              registered(s, reply);
            }

            @Override
            public void onError(Throwable t) {
              refused(dial, target, t);
            }

            @Override
            public void onCompleted() {
              // The reply came in onNext; nothing else to do.
            }
          });
    }
  }

  /** A register of round {@code dial} failed; once all have, the next round follows the backoff. */
  private void refused(Dial dial, String target, Throwable error) {
    if (dial != dialing || closed) {
      return;
    }
    Status status = Status.fromThrowable(error);
    dial.refusals.add(target + ": " + status.getCode()
        + (status.getDescription() == null ? "" : " " + status.getDescription()));
    if (dial.refusals.size() < dial.targets.size()) {
      return;
    }
    dialing = null;
    sitsOut = null;
    long delay = backoff.nextDelayNanos();
    log.warn("event=register_failed node={} attempt={} refusals=\"{}\" retry_ms={}", settings.nodeId(),
        dial.number, String.join("; ", dial.refusals), TimeUnit.NANOSECONDS.toMillis(delay));
    executor.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
  }

  private void registered(Session s, RegisterReply reply) {
    if (s != current || closed) {
      return;
    }
    terms.observe(reply.getTerm());
    s.heartbeatNanos = reply.getHeartbeatMs() > 0
        ? TimeUnit.MILLISECONDS.toNanos(reply.getHeartbeatMs()) : settings.heartbeat().toNanos();
    log.info("event=link_registered node={} coordinator={} term={} lease_ms={} heartbeat_ms={}",
        settings.nodeId(), s.target, reply.getTerm(), reply.getLeaseMs(),
        TimeUnit.NANOSECONDS.toMillis(s.heartbeatNanos));
    AgentServiceGrpc.newStub(channels.toTry(s.target)).session(new ClientResponseObserver<AgentMessage,
        CoordinatorMessage>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) {
        s.requests = requests;
      }

      @Override
      public void onNext(CoordinatorMessage message) {
        received(s, message);
      }

      @Override
      public void onError(Throwable t) {
        end(s, "stream failed", t, true);
      }

      @Override
      public void onCompleted() {
        end(s, "stream completed by the coordinator", null, true);
      }
    });
    s.lastHeardNanos = System.nanoTime();
    s.requests.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder()
        .setNodeId(settings.nodeId())
        .setBootId(settings.bootId())
        .setMaxTermSeen(terms.highest())
        .addAllInventory(handler.inventory())).build());
    s.ticks = executor.scheduleAtFixedRate(() -> tick(s), s.heartbeatNanos, s.heartbeatNanos,
        TimeUnit.NANOSECONDS);
  }

  private void received(Session s, CoordinatorMessage message) {
    if (s != current || closed) {
      return;
    }
    long highest = terms.highest();
    if (!terms.admit(message.getTerm())) {
      log.warn("event=message_dropped node={} coordinator={} body={} term={} max_term_seen={} "
          + "reason=\"term below the highest seen: from a deposed leader\"", settings.nodeId(),
          s.target, message.getBodyCase(), message.getTerm(), highest);
      return;
    }
    s.lastHeardNanos = System.nanoTime();
    switch (message.getBodyCase()) {
      case DESIRED_SET -> {
        handler.desiredSet(message.getTerm(), message.getDesiredSet());
        if (!s.established) {
          s.established = true;
          backoff.reset();
          log.info("event=link_established node={} coordinator={} term={} version={}",
              settings.nodeId(), s.target, message.getTerm(), message.getDesiredSet().getVersion());
          sendHeartbeat(s);
        }
      }
      case ACK -> acked(s, message.getTerm(), message.getAck());
      case LOG_REQUEST -> handler.logRequest(message.getLogRequest(), sink(s));
      default -> log.warn("event=message_dropped node={} coordinator={} term={} "
          + "reason=\"no body this agent understands\"", settings.nodeId(), s.target,
          message.getTerm());
    }
  }

  private void acked(Session s, long term, HeartbeatAck ack) {
    if (!lease.knows(ack.getSeq())) {
      log.warn("event=ack_dropped node={} coordinator={} term={} seq={} "
          + "reason=\"no heartbeat with this seq is remembered\"", settings.nodeId(), s.target, term,
          ack.getSeq());
      return;
    }
    OptionalLong moved = lease.acked(ack.getSeq(), ack.getLeaseMs());
    if (moved.isPresent()) {
      leaseDeadline = moved;
      try {
        leaseListener.renewed(moved.getAsLong());
      } catch (RuntimeException e) {
        log.error("event=lease_listener_failed node={}", settings.nodeId(), e);
      }
    }
  }

  private void tick(Session s) {
    if (s != current || closed) {
      return;
    }
    long silent = System.nanoTime() - s.lastHeardNanos;
    if (silent > settings.idleTimeout().toNanos()) {
      end(s, "no admitted message for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms", null, true);
      return;
    }
    if (s.established) {
      sendHeartbeat(s);
    }
  }

  private void sendHeartbeat(Session s) {
    Heartbeat.Builder body;
    try {
      body = handler.heartbeat();
    } catch (RuntimeException e) {
      log.error("event=heartbeat_not_built node={}", settings.nodeId(), e);
      return;
    }
    long n = ++seq;
    body.setSeq(n).setSentAtMs(System.currentTimeMillis());
    // Taken before the send: the lease may only ever start earlier than the real send.
    lease.sent(n, System.nanoTime());
    s.requests.onNext(AgentMessage.newBuilder().setHeartbeat(body).build());
  }

  private LogSink sink(Session s) {
    return new LogSink() {
      @Override
      public boolean isOpen() {
        return s == current && !closed;
      }

      @Override
      public boolean isReady() {
        return isOpen() && s.requests.isReady();
      }

      @Override
      public void send(LogData data) {
        try {
          executor.execute(() -> {
            if (s == current && !closed) {
              s.requests.onNext(AgentMessage.newBuilder().setLogData(data).build());
            }
          });
        } catch (RejectedExecutionException e) {
          // Closed: the session is gone and the data with it.
        }
      }
    };
  }

  /** Ends session {@code s} if it is still the current one; then reconnects unless closing. */
  private void end(Session s, String reason, Throwable error, boolean reconnect) {
    if (s == null || s != current) {
      return;
    }
    current = null;
    if (s.ticks != null) {
      s.ticks.cancel(false);
    }
    if (s.requests != null) {
      if (error == null && !reconnect) {
        s.requests.onCompleted();
      } else {
        s.requests.cancel(reason, null);
      }
    }
    handler.sessionEnded();
    if (!reconnect || closed) {
      log.info("event=link_closed node={} coordinator={}", settings.nodeId(), s.target);
      return;
    }
    Status status = error == null ? null : Status.fromThrowable(error);
    if (settings.coordinators().size() > 1) {
      sitsOut = s.target;
    }
    long delay = backoff.nextDelayNanos();
    log.warn("event=session_ended node={} coordinator={} established={} reason=\"{}\" code={} "
        + "error=\"{}\" retry_ms={}", settings.nodeId(), s.target, s.established, reason,
        status == null ? "-" : status.getCode(), status == null ? "" : status.getDescription(),
        TimeUnit.NANOSECONDS.toMillis(delay));
    executor.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
  }
}
