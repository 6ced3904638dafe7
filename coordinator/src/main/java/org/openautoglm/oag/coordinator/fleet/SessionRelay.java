package org.openautoglm.oag.coordinator.fleet;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.agent.v1.AgentMessage;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.CoordinatorMessage;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.agent.v1.RegisterRequest;
import org.openautoglm.oag.coordinator.PeerAddress;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's side of an agent that reached it: registrations and whole session streams are
 * relayed to the leader's AgentService, and everything the leader sends is relayed back, so an
 * agent that can reach any coordinator stays connected. A relayed stream ends when either end
 * does (a leader change included); the agent then reconnects. Thread-safe.
 *
 * <p>Why a relay waits for a leader: agents reconnect as soon as their leader dies, so they
 * arrive while the election is still running. Refusing them then would send each agent
 * into its backoff; instead the relay holds the call (the agent's messages queue) until a
 * leader is known, up to {@link #LEADER_WAIT_NANOS}, checking every {@link #POLL_MS} ms.
 */
final class SessionRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRelay.class);

  static final long LEADER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long POLL_MS = 25;

  private final RaftNode raft;
  private final ScheduledExecutorService timer;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  SessionRelay(RaftNode raft, ScheduledExecutorService timer) {
    this.raft = raft;
    this.timer = timer;
  }

  void register(RegisterRequest request, StreamObserver<RegisterReply> out) {
    register(request, out, System.nanoTime() + LEADER_WAIT_NANOS);
  }

  /**
   * One try; an UNAVAILABLE answer (the leader this node still names has just died, say) is
   * tried again until {@code deadline}, as the election that follows names a new one.
   */
  private void register(RegisterRequest request, StreamObserver<RegisterReply> out, long deadline) {
    whenLeaderKnown(deadline,
        channel -> AgentServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .register(request, new StreamObserver<>() {
              @Override
              public void onNext(RegisterReply reply) {
                quietly(() -> out.onNext(reply));
              }

              @Override
              public void onError(Throwable t) {
                if (Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE
                    && System.nanoTime() - deadline < 0) {
                  retryLater(() -> register(request, out, deadline), out::onError);
                } else {
                  quietly(() -> out.onError(t));
                }
              }

              @Override
              public void onCompleted() {
                quietly(out::onCompleted);
              }
            }),
        error -> quietly(() -> out.onError(error)));
  }

  private void retryLater(Runnable attempt, java.util.function.Consumer<RuntimeException> otherwise) {
    try {
      timer.schedule(attempt, POLL_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      otherwise.accept(Status.UNAVAILABLE.withDescription("this coordinator is stopping").asRuntimeException());
    }
  }

  /** Relays a session to the leader; returns the observer for the agent's messages. */
  StreamObserver<AgentMessage> session(StreamObserver<CoordinatorMessage> agent) {
    Deferred up = new Deferred();
    whenLeaderKnown(System.nanoTime() + LEADER_WAIT_NANOS,
        channel -> up.connect(open(channel, agent)),
        error -> {
          up.connect(new Discard<>());
          quietly(() -> agent.onError(error));
        });
    return up;
  }

  /**
   * Runs {@code then} with a channel to the leader once one is known (at once, usually), or
   * {@code otherwise} with UNAVAILABLE at {@code deadline} or when this node itself leads (the
   * agent must reconnect to get a session here).
   */
  private void whenLeaderKnown(long deadline, java.util.function.Consumer<ManagedChannel> then,
      java.util.function.Consumer<RuntimeException> otherwise) {
    String leader;
    try {
      leader = raft.leaderId();
    } catch (RuntimeException e) {
      otherwise.accept(Status.UNAVAILABLE.withDescription("this coordinator is stopping").asRuntimeException());
      return;
    }
    if (raft.nodeId().equals(leader)) {
      otherwise.accept(Status.UNAVAILABLE.withDescription("this coordinator leads now; reconnect")
          .asRuntimeException());
      return;
    }
    ManagedChannel channel = leaderChannel(leader);
    if (channel != null) {
      then.accept(channel);
    } else if (System.nanoTime() - deadline >= 0) {
      otherwise.accept(noLeader());
    } else {
      retryLater(() -> whenLeaderKnown(deadline, then, otherwise), otherwise);
    }
  }

  private StreamObserver<AgentMessage> open(ManagedChannel channel, StreamObserver<CoordinatorMessage> agent) {
    StreamObserver<CoordinatorMessage> down = new StreamObserver<>() {
      @Override
      public synchronized void onNext(CoordinatorMessage m) {
        quietly(() -> agent.onNext(m));
      }

      @Override
      public synchronized void onError(Throwable t) {
        quietly(() -> agent.onError(Status.UNAVAILABLE.withDescription("relay to the leader ended: "
            + Status.fromThrowable(t)).asRuntimeException()));
      }

      @Override
      public synchronized void onCompleted() {
        quietly(agent::onCompleted);
      }
    };
    StreamObserver<AgentMessage> up = AgentServiceGrpc.newStub(channel).session(down);
    LOG.debug("event=agent_session_relayed via={} to={}", raft.nodeId(), raft.leaderId());
    return new StreamObserver<>() {
      @Override
      public synchronized void onNext(AgentMessage m) {
        up.onNext(m);
      }

      @Override
      public synchronized void onError(Throwable t) {
        up.onError(Status.CANCELLED.withDescription("the agent's stream to the relay broke").asRuntimeException());
      }

      @Override
      public synchronized void onCompleted() {
        up.onCompleted();
      }
    };
  }

  private ManagedChannel leaderChannel(String leader) {
    PeerAddress peer = leader == null ? null : raft.peer(leader);
    if (peer == null) {
      return null;
    }
    return channels.computeIfAbsent(peer.apiAddress(),
        address -> NettyChannelBuilder.forTarget(address).usePlaintext().build());
  }

  /** Calls on the agent's side of the call, which the agent may have cancelled meanwhile. */
  private static void quietly(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.debug("event=relay_send_dropped reason=\"{}\"", e.toString());
    }
  }

  private static RuntimeException noLeader() {
    return Status.UNAVAILABLE.withDescription("no leader known to relay to; try another coordinator")
        .asRuntimeException();
  }

  /**
   * The agent's side of a relayed stream before the leader's side exists: messages queue
   * (a hello, perhaps a heartbeat) and are passed on, in order, once it is connected.
   */
  private static final class Deferred implements StreamObserver<AgentMessage> {
    private final java.util.List<Runnable> queued = new java.util.ArrayList<>();
    private StreamObserver<AgentMessage> up;   // guarded by this

    synchronized void connect(StreamObserver<AgentMessage> upstream) {
      up = upstream;
      queued.forEach(Runnable::run);
      queued.clear();
    }

    private synchronized void run(java.util.function.Consumer<StreamObserver<AgentMessage>> call) {
      if (up == null) {
        queued.add(() -> call.accept(up));
      } else {
        call.accept(up);
      }
    }

    @Override
    public void onNext(AgentMessage m) {
      run(u -> u.onNext(m));
    }

    @Override
    public void onError(Throwable t) {
      run(u -> u.onError(t));
    }

    @Override
    public void onCompleted() {
      run(StreamObserver::onCompleted);
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
