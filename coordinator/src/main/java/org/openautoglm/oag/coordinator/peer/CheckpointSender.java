package org.openautoglm.oag.coordinator.peer;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.openautoglm.oag.coordinator.raft.CheckpointDirs;
import org.openautoglm.oag.peer.v1.CheckpointChunk;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one checkpoint directory under gRPC flow control: a chunk is read
 * from disk only when the call is ready for it, so a large store never sits
 * in the leader's memory. The directory is deleted when the stream ends,
 * fails or is cancelled. Driven by the call's on-ready callbacks, which gRPC
 * serializes; {@link #drain} is synchronized for the first, direct call.
 */
final class CheckpointSender {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointSender.class);
  private static final int CHUNK = 1 << 20;

  private final Path dir;
  private final MetaRecord meta;
  private final ServerCallStreamObserver<CheckpointChunk> call;
  private final Iterator<Path> files;
  private final byte[] buf = new byte[CHUNK];
  private String name;
  private InputStream current;
  private boolean done;

  private CheckpointSender(Path dir, MetaRecord meta, List<Path> files,
      ServerCallStreamObserver<CheckpointChunk> call) {
    this.dir = dir;
    this.meta = meta;
    this.files = files.iterator();
    this.call = call;
  }

  /** Starts streaming {@code dir} (a finished checkpoint whose meta is {@code meta}). */
  static void start(Path dir, MetaRecord meta, ServerCallStreamObserver<CheckpointChunk> call) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    CheckpointSender sender = new CheckpointSender(dir, meta, files, call);
    call.setOnCancelHandler(sender::cancelled);
    call.setOnReadyHandler(sender::drain);
    sender.drain();
  }

  synchronized void drain() {
    try {
      while (!done && call.isReady()) {
        if (current == null && !openNext()) {
          call.onNext(CheckpointChunk.newBuilder().setLast(true)
              .setTerm(meta.getAppliedTerm()).setIndex(meta.getAppliedIndex()).build());
          call.onCompleted();
          finish();
          return;
        }
        int n = current.readNBytes(buf, 0, CHUNK);
        boolean eof = n < CHUNK;
        // A short (possibly empty) chunk closes the file on the receiving side.
        call.onNext(CheckpointChunk.newBuilder().setFile(name)
            .setData(ByteString.copyFrom(buf, 0, n)).setEndOfFile(eof).build());
        if (eof) {
          current.close();
          current = null;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=checkpoint_serve_failed dir={} reason={}", dir, e.toString());
      if (!done) {
        call.onError(Status.UNAVAILABLE.withDescription("checkpoint failed: " + e.getMessage()).asRuntimeException());
      }
      finish();
    }
  }

  private boolean openNext() throws IOException {
    if (!files.hasNext()) {
      return false;
    }
    Path file = files.next();
    name = dir.relativize(file).toString();
    current = Files.newInputStream(file);
    return true;
  }

  private synchronized void cancelled() {
    LOG.info("event=checkpoint_serve_cancelled dir={}", dir);
    finish();
  }

  private void finish() {
    done = true;
    try {
      if (current != null) {
        current.close();
        current = null;
      }
      CheckpointDirs.deleteTree(dir);
    } catch (IOException e) {
      LOG.warn("event=checkpoint_cleanup_failed dir={} reason={}", dir, e.toString());
    }
  }
}
