package org.openautoglm.oag.coordinator.api;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.ClusterStatusRequest;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.TransferLeaderReply;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.PeerAddress;
import org.openautoglm.oag.coordinator.peer.PeerClient;
import org.openautoglm.oag.coordinator.peer.PeerEndpoint;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.peer.v1.NodeStatusReply;

/**
 * gRPC ClusterService: the member table (asking every peer for its role,
 * indexes and digest, in parallel, with a short deadline; an unreachable
 * member is shown as such) and leadership transfer.
 */
final class ClusterEndpoint extends ClusterServiceGrpc.ClusterServiceImplBase {
  private static final long PEER_TIMEOUT_MS = 1500;

  private final RaftNode raft;
  private final PeerClient peers;
  private final String clusterId;
  private final Executor executor;

  ClusterEndpoint(RaftNode raft, PeerClient peers, String clusterId, Executor executor) {
    this.raft = raft;
    this.peers = peers;
    this.clusterId = clusterId;
    this.executor = executor;
  }

  @Override
  public void status(ClusterStatusRequest request, StreamObserver<ClusterStatus> out) {
    List<CompletableFuture<Member>> members = raft.peers().stream()
        .map(p -> CompletableFuture.supplyAsync(() -> member(p), executor)).toList();
    CompletableFuture<ClusterStatus> status = CompletableFuture.allOf(members.toArray(CompletableFuture[]::new))
        .thenApply(v -> {
          String leader = raft.leaderId();
          return ClusterStatus.newBuilder()
              .setClusterId(clusterId)
              .setLeader(leader == null ? "" : leader)
              .setTerm(raft.term())
              .setAnsweredBy(raft.nodeId())
              .addAllMembers(members.stream().map(CompletableFuture::join).toList())
              .build();
        });
    TaskEndpoint.Replies.send(status, out);
  }

  private Member member(PeerAddress p) {
    Member.Builder m = Member.newBuilder().setId(p.id()).setRaftAddress(p.raftAddress()).setApiAddress(p.apiAddress());
    try {
      NodeStatusReply s = p.id().equals(raft.nodeId()) ? PeerEndpoint.status(raft) : peers.nodeStatus(p.id(), PEER_TIMEOUT_MS);
      return m.setRole(s.getRole()).setTerm(s.getTerm()).setCommitIndex(s.getCommitIndex())
          .setAppliedIndex(s.getAppliedIndex()).setDigest(s.getDigest()).setReachable(true)
          .setSnapshotInstalls(s.getSnapshotInstalls()).build();
    } catch (RuntimeException e) {
      return m.setRole("UNREACHABLE").setReachable(false).build();
    }
  }

  @Override
  public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderReply> out) {
    String target = request.getTarget();
    if (!target.isEmpty() && raft.peer(target) == null) {
      out.onError(ApiErrors.toStatus(new CoordinatorException.InvalidArgument("target",
          "no member named '" + target + "'")));
      return;
    }
    if (target.equals(raft.nodeId()) && raft.isLeader()) {
      out.onNext(TransferLeaderReply.newBuilder().setLeader(target).build());
      out.onCompleted();
      return;
    }
    TaskEndpoint.Replies.send(raft.transferLeadership(target, 5000)
        .thenApply(leader -> TransferLeaderReply.newBuilder().setLeader(leader).build()), out);
  }
}
