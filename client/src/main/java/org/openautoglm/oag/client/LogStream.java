package org.openautoglm.oag.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskServiceGrpc.TaskServiceBlockingStub;

/**
 * One {@code Logs} call. Until the first byte arrives it is retried like a read, following
 * the leader (only the leader serves logs). After that a broken stream fails the
 * subscription: chunks carry no offset, so asking again could repeat or skip output, and the
 * caller is told rather than handed a silently doctored log. Runs on the subscription's
 * thread only.
 */
final class LogStream implements Runnable {
  private final RetryLoop loop;
  private final LogsRequest request;
  private final boolean follow;
  private final String clientId;
  private final Consumer<byte[]> sink;
  private long bytes;

  LogStream(RetryLoop loop, LogQuery query, String clientId, Consumer<byte[]> sink) {
    this.loop = loop;
    this.request = query.toRequest();
    this.follow = query.follow();
    this.clientId = clientId;
    this.sink = sink;
  }

  @Override
  public void run() {
    // Once a byte was delivered an attempt no longer fails retryably, so progress stays 0.
    loop.runStream("Logs", follow, this::attempt, () -> 0);
  }

  private Void attempt(ManagedChannel channel, long deadlineNanos, AttemptTracer tracer) {
    TaskServiceBlockingStub stub = TaskServiceGrpc.newBlockingStub(channel).withInterceptors(tracer);
    TaskServiceBlockingStub s = follow
        ? stub : stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
    try {
      StreamThread.drain(() -> s.logs(request), chunk -> {
        byte[] data = chunk.getData().toByteArray();
        if (data.length > 0) {
          sink.accept(data);
          bytes += data.length;
        }
        return true;
      });
    } catch (StatusRuntimeException e) {
      if (bytes == 0) {
        throw e;
      }
      OagException why = StatusMapper.map(e.getStatus(), e.getTrailers(),
          new StatusMapper.Attempt(false, tracer.requestSent(), tracer.serverAnswered(),
              clientId, null));
      throw new OagException(why.code(), "Logs: the stream broke after " + bytes
          + " bytes; the output may be incomplete: " + why.getMessage(), why);
    }
    return null;
  }
}
