package org.openautoglm.oag.coordinator.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.peer.v1.CheckpointChunk;
import org.openautoglm.oag.state.v1.MetaRecord;

class CheckpointSenderTest {
  @TempDir
  Path tmp;

  /** A call whose readiness the test controls; it runs the on-ready handler as gRPC would. */
  static final class FakeCall extends ServerCallStreamObserver<CheckpointChunk> {
    final List<CheckpointChunk> sent = new ArrayList<>();
    boolean ready;
    boolean completed;
    Throwable error;
    Runnable onReady;
    Runnable onCancel;

    void becomeReady() {
      ready = true;
      onReady.run();
    }

    @Override
    public void onNext(CheckpointChunk value) {
      sent.add(value);
      if (sent.size() % 2 == 0) {
        ready = false;  // the transport's buffer fills every two chunks
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable r) {
      onReady = r;
    }

    @Override
    public void setOnCancelHandler(Runnable r) {
      onCancel = r;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
  }

  @Test
  void sendsOnlyWhileTheCallIsReadyAndDeletesTheCheckpointWhenDone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cp"));
    byte[] big = new byte[(5 << 20) / 2];  // 2.5 MiB: three chunks
    new Random(7).nextBytes(big);
    Files.write(dir.resolve("000012.sst"), big);
    Files.write(dir.resolve("CURRENT"), "MANIFEST-000001\n".getBytes());
    FakeCall call = new FakeCall();

    CheckpointSender.start(dir, MetaRecord.newBuilder().setAppliedTerm(3).setAppliedIndex(42).build(), call);
    assertThat(call.sent).as("nothing read while the call is not ready").isEmpty();

    for (int rounds = 0; !call.completed && rounds < 20; rounds++) {
      int before = call.sent.size();
      call.becomeReady();
      assertThat(call.sent.size() - before).isLessThanOrEqualTo(2);
    }

    assertThat(call.completed).isTrue();
    assertThat(call.error).isNull();
    ByteArrayOutputStream sst = new ByteArrayOutputStream();
    call.sent.stream().filter(c -> c.getFile().equals("000012.sst")).forEach(c -> sst.writeBytes(c.getData().toByteArray()));
    assertThat(sst.toByteArray()).isEqualTo(big);
    CheckpointChunk last = call.sent.get(call.sent.size() - 1);
    assertThat(last.getLast()).isTrue();
    assertThat(last.getIndex()).isEqualTo(42);
    assertThat(dir).doesNotExist();
  }

  @Test
  void aCancelledCallStopsReadingAndDeletesTheCheckpoint() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cp"));
    Files.write(dir.resolve("000012.sst"), new byte[3 << 20]);
    FakeCall call = new FakeCall();
    CheckpointSender.start(dir, MetaRecord.getDefaultInstance(), call);
    call.becomeReady();

    call.onCancel.run();
    call.becomeReady();

    assertThat(call.sent).hasSize(2);
    assertThat(call.completed).isFalse();
    assertThat(dir).doesNotExist();
  }
}
