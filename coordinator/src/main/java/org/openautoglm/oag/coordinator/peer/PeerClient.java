package org.openautoglm.oag.coordinator.peer;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import org.openautoglm.oag.coordinator.PeerAddress;
import org.openautoglm.oag.coordinator.raft.CheckpointDirs;
import org.openautoglm.oag.coordinator.raft.CheckpointSource;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.peer.v1.CheckpointChunk;
import org.openautoglm.oag.peer.v1.FetchCheckpointRequest;
import org.openautoglm.oag.peer.v1.NodeStatusReply;
import org.openautoglm.oag.peer.v1.NodeStatusRequest;
import org.openautoglm.oag.peer.v1.PeerServiceGrpc;
import org.openautoglm.oag.state.v1.MetaRecord;

/**
 * Calls other coordinators' PeerService over their API ports: status for the
 * cluster view, and checkpoint download for a follower that fell behind the
 * leader's purged log. One lazily opened channel per peer. Thread-safe.
 */
public final class PeerClient implements CheckpointSource, AutoCloseable {
  private final CoordinatorConfig config;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public PeerClient(CoordinatorConfig config) {
    this.config = config;
  }

  private PeerServiceGrpc.PeerServiceBlockingStub stub(String peerId) {
    PeerAddress peer = config.peers().stream().filter(p -> p.id().equals(peerId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown peer " + peerId));
    ManagedChannel ch = channels.computeIfAbsent(peerId, id -> NettyChannelBuilder
        .forAddress(peer.host(), peer.apiPort()).usePlaintext()
        .maxInboundMessageSize(8 << 20).build());
    return PeerServiceGrpc.newBlockingStub(ch);
  }

  public NodeStatusReply nodeStatus(String peerId, long timeoutMs) {
    return stub(peerId).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
        .nodeStatus(NodeStatusRequest.getDefaultInstance());
  }

  /** Streams the peer's checkpoint into target (replacing it), fsyncs it and reads its meta back. */
  @Override
  public MetaRecord fetch(String peerId, Path target) throws IOException {
    CheckpointDirs.deleteTree(target);
    Files.createDirectories(target);
    FetchCheckpointRequest request = FetchCheckpointRequest.newBuilder()
        .setRequester(config.nodeId()).setClusterId(config.clusterId()).build();
    boolean complete = false;
    OutputStream current = null;
    // Cancelled on every exit, so a failed download never leaves the peer streaming.
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try {
      Iterator<CheckpointChunk> chunks = stub(peerId).withDeadlineAfter(10, TimeUnit.MINUTES)
          .fetchCheckpoint(request);
      while (chunks.hasNext()) {
        CheckpointChunk chunk = chunks.next();
        if (chunk.getLast()) {
          complete = true;
          break;
        }
        if (current == null) {
          Path file = target.resolve(chunk.getFile()).normalize();
          if (!file.startsWith(target)) {
            throw new IOException("checkpoint file escapes its directory: " + chunk.getFile());
          }
          Files.createDirectories(file.getParent());
          current = Files.newOutputStream(file);
        }
        chunk.getData().writeTo(current);
        if (chunk.getEndOfFile()) {
          current.close();
          current = null;
        }
      }
    } catch (io.grpc.StatusRuntimeException e) {
      throw new IOException("checkpoint fetch from " + peerId + " failed: " + e.getStatus(), e);
    } finally {
      call.detach(previous);
      call.cancel(null);
      if (current != null) {
        current.close();
      }
    }
    if (!complete) {
      throw new IOException("checkpoint stream from " + peerId + " ended early");
    }
    CheckpointDirs.fsyncTree(target);
    return StateStore.readMeta(target);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
