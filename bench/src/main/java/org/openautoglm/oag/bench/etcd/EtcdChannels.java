package org.openautoglm.oag.bench.etcd;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.bench.etcd.v3.ClusterGrpc;
import org.openautoglm.oag.bench.etcd.v3.KVGrpc;
import org.openautoglm.oag.bench.etcd.v3.MaintenanceGrpc;
import org.openautoglm.oag.bench.etcd.v3.MemberListRequest;
import org.openautoglm.oag.bench.etcd.v3.MemberListResponse;
import org.openautoglm.oag.bench.etcd.v3.PutRequest;
import org.openautoglm.oag.bench.etcd.v3.PutResponse;
import org.openautoglm.oag.bench.etcd.v3.StatusRequest;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

/**
 * One connection to each endpoint, and the three etcd calls the target makes, each with its
 * own deadline. Channels are opened up front and shut down by {@link #close()} (bounded: a
 * grace period, then forcibly). Thread-safe.
 */
final class EtcdChannels implements AutoCloseable {
  private static final long CLOSE_GRACE_MS = 2_000;
  private static final StatusRequest STATUS = StatusRequest.getDefaultInstance();
  private static final MemberListRequest MEMBER_LIST = MemberListRequest.getDefaultInstance();

  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

  EtcdChannels(EtcdConfig config) {
    for (String e : config.endpoints()) {
      channels.put(e, config.channelFactory().apply(e));
    }
  }

  List<String> endpoints() {
    return List.copyOf(channels.keySet());
  }

  PutResponse put(String endpoint, PutRequest request, long deadlineNanos) {
    return KVGrpc.newBlockingStub(channel(endpoint))
        .withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS).put(request);
  }

  StatusResponse status(String endpoint, long deadlineNanos) {
    return MaintenanceGrpc.newBlockingStub(channel(endpoint))
        .withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS).status(STATUS);
  }

  /** Status without blocking: completes (normally or not) within the deadline. */
  CompletableFuture<StatusResponse> statusAsync(String endpoint, long deadlineNanos) {
    CompletableFuture<StatusResponse> f = new CompletableFuture<>();
    MaintenanceGrpc.newStub(channel(endpoint))
        .withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS).status(STATUS, into(f));
    return f;
  }

  MemberListResponse memberList(String endpoint, long deadlineNanos) {
    return ClusterGrpc.newBlockingStub(channel(endpoint))
        .withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS).memberList(MEMBER_LIST);
  }

  /**
   * Lets the next call to {@code endpoint} connect at once, rather than after gRPC's
   * reconnect backoff (up to minutes), so a restarted member is seen as soon as it is up.
   */
  void reconnectSoon(String endpoint) {
    channel(endpoint).resetConnectBackoff();
  }

  private ManagedChannel channel(String endpoint) {
    ManagedChannel c = channels.get(endpoint);
    if (c == null) {
      throw new IllegalArgumentException("not one of the endpoints: " + endpoint);
    }
    return c;
  }

  /** Shuts every channel down; calls in flight fail. Bounded; idempotent. */
  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdown);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
    for (ManagedChannel c : channels.values()) {
      try {
        if (!c.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }

  private static <T> StreamObserver<T> into(CompletableFuture<T> f) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        f.completeExceptionally(new IllegalStateException("no answer")); // no-op after onNext
      }
    };
  }
}
