package org.openautoglm.oag.coordinator.peer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.coordinator.raft.CheckpointDirs;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.peer.v1.CheckpointChunk;
import org.openautoglm.oag.peer.v1.FetchCheckpointRequest;
import org.openautoglm.oag.peer.v1.NodeStatusReply;
import org.openautoglm.oag.peer.v1.NodeStatusRequest;
import org.openautoglm.oag.peer.v1.PeerServiceGrpc;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves this node's status and RocksDB checkpoints to the other coordinators. */
public final class PeerEndpoint extends PeerServiceGrpc.PeerServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(PeerEndpoint.class);

  private final RaftNode raft;
  private final String clusterId;
  private final Path checkpointRoot;
  private final AtomicLong sequence = new AtomicLong();

  public PeerEndpoint(RaftNode raft, String clusterId, Path checkpointRoot) {
    this.raft = raft;
    this.clusterId = clusterId;
    this.checkpointRoot = checkpointRoot;
  }

  @Override
  public void nodeStatus(NodeStatusRequest request, StreamObserver<NodeStatusReply> out) {
    out.onNext(status(raft));
    out.onCompleted();
  }

  public static NodeStatusReply status(RaftNode raft) {
    MetaRecord meta = raft.store().meta();
    String leader = raft.leaderId();
    return NodeStatusReply.newBuilder()
        .setId(raft.nodeId())
        .setRole(raft.role())
        .setTerm(raft.term())
        .setCommitIndex(raft.commitIndex())
        .setAppliedIndex(meta.getAppliedIndex())
        .setDigest(StateStore.digestHex(meta))
        .setLeader(leader == null ? "" : leader)
        .setSnapshotInstalls(raft.snapshotInstalls())
        .build();
  }


  @Override
  public void fetchCheckpoint(FetchCheckpointRequest request, StreamObserver<CheckpointChunk> out) {
    if (!clusterId.equals(request.getClusterId())) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("cluster id " + request.getClusterId()
          + " is not this cluster's (" + clusterId + ")").asRuntimeException());
      return;
    }
    Path dir = checkpointRoot.resolve("cp-" + System.nanoTime() + "-" + sequence.incrementAndGet());
    try {
      Files.createDirectories(checkpointRoot);
      MetaRecord meta = raft.store().checkpoint(dir);
      LOG.info("event=checkpoint_serve node={} to={} index={}", raft.nodeId(), request.getRequester(),
          meta.getAppliedIndex());
      CheckpointSender.start(dir, meta, (ServerCallStreamObserver<CheckpointChunk>) out);
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=checkpoint_serve_failed node={} reason={}", raft.nodeId(), e.toString());
      out.onError(Status.UNAVAILABLE.withDescription("checkpoint failed: " + e.getMessage()).asRuntimeException());
      try {
        CheckpointDirs.deleteTree(dir);
      } catch (IOException cleanup) {
        LOG.warn("event=checkpoint_cleanup_failed dir={} reason={}", dir, cleanup.toString());
      }
    }
  }
}
