package org.openautoglm.oag.coordinator.fleet;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 */
final class SessionRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRelay.class);

  private final RaftNode raft;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  SessionRelay(RaftNode raft) {
    this.raft = raft;
  }

  void register(RegisterRequest request, StreamObserver<RegisterReply> out) {
    ManagedChannel channel = leaderChannel();
    if (channel == null) {
      out.onError(noLeader());
      return;
    }
    AgentServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).register(request, out);
  }

  /** Relays a session to the leader; returns the observer for the agent's messages. */
  StreamObserver<AgentMessage> session(StreamObserver<CoordinatorMessage> agent) {
    ManagedChannel channel = leaderChannel();
    if (channel == null) {
      agent.onError(noLeader());
      return new Discard<>();
    }
    StreamObserver<CoordinatorMessage> down = new StreamObserver<>() {
      @Override
      public synchronized void onNext(CoordinatorMessage m) {
        agent.onNext(m);
      }

      @Override
      public synchronized void onError(Throwable t) {
        agent.onError(Status.UNAVAILABLE.withDescription("relay to the leader ended: "
            + Status.fromThrowable(t)).asRuntimeException());
      }

      @Override
      public synchronized void onCompleted() {
        agent.onCompleted();
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

  private ManagedChannel leaderChannel() {
    String leader = raft.leaderId();
    PeerAddress peer = leader == null || leader.equals(raft.nodeId()) ? null : raft.peer(leader);
    if (peer == null) {
      return null;
    }
    return channels.computeIfAbsent(peer.apiAddress(),
        address -> NettyChannelBuilder.forTarget(address).usePlaintext().build());
  }

  private static RuntimeException noLeader() {
    return Status.UNAVAILABLE.withDescription("no leader known to relay to; try another coordinator")
        .asRuntimeException();
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
