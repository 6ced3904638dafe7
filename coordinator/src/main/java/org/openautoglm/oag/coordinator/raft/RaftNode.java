package org.openautoglm.oag.coordinator.raft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.PeerAddress;
import org.openautoglm.oag.coordinator.state.AppliedListener;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.coordinator.state.StoreSettings;

/**
 * This node's member of the Raft group: the one place Ratis types are used.
 * Everything it exposes is plain Java: proposals and results cross as bytes.
 *
 * <p>Writes are submitted to the local Ratis server in-process (no RaftClient
 * hop over loopback). Reads call {@link #readBarrier()} — a Ratis
 * LINEARIZABLE read (ReadIndex), answered on any member — and then read the
 * store's views. Thread-safe.
 */
public final class RaftNode implements AutoCloseable {
  private final CoordinatorConfig config;
  private final RaftGroup group;
  private final RaftServer server;
  private final CoordinatorStateMachine stateMachine;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final Map<String, PeerAddress> peers;

  private RaftNode(CoordinatorConfig config, RaftGroup group, RaftServer server,
      CoordinatorStateMachine stateMachine) {
    this.config = config;
    this.group = group;
    this.server = server;
    this.stateMachine = stateMachine;
    this.peers = config.peers().stream().collect(Collectors.toMap(PeerAddress::id, p -> p));
  }

  /** Starts the Raft server over the store in {@code config.dataDir()/state}. */
  public static RaftNode start(CoordinatorConfig config, CheckpointSource checkpoints, RaftEvents events,
      Consumer<Throwable> onFatal) throws IOException {
    RaftGroup group = RaftGroup.valueOf(groupId(config.clusterId()),
        config.peers().stream().map(RaftNode::toRaftPeer).toList());
    StoreSettings settings = new StoreSettings(config.dedupeTtl(), config.terminalTaskRetention(),
        config.blockCacheBytes(), config.writeBufferBytes());
    CoordinatorStateMachine sm = new CoordinatorStateMachine(config.nodeId(),
        config.dataDir().resolve("state"), settings, checkpoints, events, onFatal);
    RaftProperties props = RaftSettings.properties(config);
    RaftServer server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(config.nodeId()))
        .setGroup(group)
        .setStateMachine(sm)
        .setProperties(props)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();
    return new RaftNode(config, group, server, sm);
  }

  /** The Raft group id is derived from the cluster id, so every member computes the same one. */
  static RaftGroupId groupId(String clusterId) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("oag-cluster:" + clusterId).getBytes(StandardCharsets.UTF_8)));
  }

  private static RaftPeer toRaftPeer(PeerAddress p) {
    return RaftPeer.newBuilder().setId(p.id()).setAddress(p.raftAddress()).build();
  }

  public String nodeId() {
    return config.nodeId();
  }

  public List<PeerAddress> peers() {
    return config.peers();
  }

  public StateStore store() {
    return stateMachine.store();
  }

  /**
   * Registers {@code listener} to be told after every batch this member applies, on the apply
   * thread, once the batch is visible in {@link #store()}: it must be quick and hand work
   * off. It keeps being told across checkpoint installs; right after one it is told that
   * every node may have changed and that placement may help.
   */
  public void addApplyListener(AppliedListener listener) {
    stateMachine.addApplyListener(Objects.requireNonNull(listener, "listener"));
  }

  public void removeApplyListener(AppliedListener listener) {
    stateMachine.removeApplyListener(listener);
  }

  public long snapshotInstalls() {
    return stateMachine.snapshotInstalls();
  }

  private DivisionInfo info() {
    try {
      return server.getDivision(group.getGroupId()).getInfo();
    } catch (IOException e) {
      throw new IllegalStateException("raft division is gone", e);
    }
  }

  /** Leads and has applied its term's first entry, so it may take writes. */
  public boolean isLeader() {
    DivisionInfo info = info();
    return info.isLeader() && info.isLeaderReady();
  }

  /** Won the election; may still be applying its term's first entry (then {@link #isLeader} is false). */
  public boolean isLeaderRole() {
    return info().isLeader();
  }

  public String role() {
    return info().getCurrentRole().name();
  }

  public long term() {
    return info().getCurrentTerm();
  }

  public long appliedIndex() {
    return info().getLastAppliedIndex();
  }

  public long commitIndex() {
    try {
      return server.getDivision(group.getGroupId()).getRaftLog().getLastCommittedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The leader's member id, or null while none is known. */
  public String leaderId() {
    RaftPeerId id = info().getLeaderId();
    return id == null ? null : id.toString();
  }

  public PeerAddress peer(String id) {
    return id == null ? null : peers.get(id);
  }

  /** Proposes one serialized CommandBatch; completes with the serialized BatchResult. */
  public CompletableFuture<byte[]> propose(byte[] batch) {
    RaftClientRequest request = request(RaftClientRequest.writeRequestType(), batch, 0);
    return submit(request).thenApply(reply -> reply.getMessage().getContent().toByteArray());
  }

  /** Completes once this member has applied every write acknowledged before the call (ReadIndex). */
  public CompletableFuture<Void> readBarrier() {
    RaftClientRequest request = request(RaftClientRequest.readRequestType(), new byte[0], 0);
    return submit(request).thenApply(reply -> null);
  }

  public CompletableFuture<String> transferLeadership(String target, long timeoutMs) {
    if (!info().isLeader()) {
      return CompletableFuture.failedFuture(notLeader());
    }
    RaftPeerId to;
    try {
      to = target == null || target.isEmpty() ? pickTransferTarget() : RaftPeerId.valueOf(target);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    TransferLeadershipRequest request = new TransferLeadershipRequest(clientId, server.getId(),
        group.getGroupId(), callIds.incrementAndGet(), to, timeoutMs);
    try {
      return server.transferLeadershipAsync(request).thenApply(reply -> {
        if (!reply.isSuccess()) {
          throw new CompletionException(new CoordinatorException.FailedPrecondition(
              "leadership transfer to " + to + " failed: " + reply.getException()));
        }
        return to.toString();
      });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RaftPeerId pickTransferTarget() {
    return group.getPeers().stream().map(RaftPeer::getId)
        .filter(id -> !id.equals(server.getId()))
        .min(java.util.Comparator.comparing(RaftPeerId::toString))
        .orElseThrow(() -> new CoordinatorException.FailedPrecondition("no other member to lead"));
  }

  private RaftClientRequest request(RaftClientRequest.Type type, byte[] payload, long timeoutMs) {
    return RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(server.getId())
        .setGroupId(group.getGroupId())
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(ByteString.copyFrom(payload)))
        .setType(type)
        .setTimeoutMs(timeoutMs)
        .build();
  }

  private CompletableFuture<RaftClientReply> submit(RaftClientRequest request) {
    CompletableFuture<RaftClientReply> f;
    try {
      f = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new CoordinatorException.Indeterminate(
          "raft server refused the request: " + e.getMessage(), e));
    }
    boolean write = !request.is(org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase.READ);
    return f.thenApply(reply -> {
      if (reply.isSuccess()) {
        return reply;
      }
      throw new CompletionException(translate(reply, write));
    });
  }

  private RuntimeException translate(RaftClientReply reply, boolean write) {
    NotLeaderException nle = reply.getNotLeaderException();
    if (nle != null) {
      RaftPeer hint = nle.getSuggestedLeader();
      String leader = hint == null ? null : hint.getId().toString();
      if (write) {
        // Ratis answers pending entries this way when the leader steps down; they are in
        // the log already and may still commit under the next leader.
        return new CoordinatorException.Indeterminate("leadership moved" + (leader == null ? "" : " to " + leader)
            + " while the write was pending; it may or may not have been applied", nle);
      }
      return notLeader(leader);
    }
    RaftException e = reply.getException();
    if (e instanceof LeaderNotReadyException) {
      return new CoordinatorException.Overloaded("leader " + nodeId() + " is not ready yet (applying its term's first entry)");
    }
    if (e instanceof ResourceUnavailableException) {
      return new CoordinatorException.Overloaded("too many requests in flight: " + e.getMessage());
    }
    if (e instanceof StateMachineException && e.getCause() instanceof CoordinatorException ce) {
      return ce;
    }
    String what = e == null ? "unknown raft failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
    return write
        ? new CoordinatorException.Indeterminate("the write may or may not have happened: " + what, e)
        : new CoordinatorException.Overloaded("read failed: " + what);
  }

  public CoordinatorException.NotLeader notLeader() {
    return notLeader(leaderId());
  }

  private CoordinatorException.NotLeader notLeader(String leader) {
    PeerAddress p = peer(leader);
    return new CoordinatorException.NotLeader(nodeId(), leader, p == null ? null : p.apiAddress());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
