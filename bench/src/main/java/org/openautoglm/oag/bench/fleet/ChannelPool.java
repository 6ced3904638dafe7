package org.openautoglm.oag.bench.fleet;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels the simulated agents share: {@code perTarget} per coordinator, made on first
 * use, agent {@code k} on channel {@code k mod perTarget}, so a thousand or so sessions share
 * one HTTP/2 connection instead of each agent opening its own (which a real fleet of hosts does,
 * but one simulator process cannot: ports, file descriptors, event-loop threads).
 *
 * <p>Flow control: each session carries small messages both ways (heartbeats of a few hundred
 * bytes, acks, desired sets), so the per-stream window matters less than the connection's,
 * which a thousand streams share: 1 MiB per stream and per connection (gRPC's default, set
 * here on purpose) holds every stream's acks without a stall, and bounds what a stalled
 * coordinator can leave buffered here. Calls complete on {@code executor} (a small fixed pool;
 * gRPC serializes each call's callbacks on it). Thread-safe.
 */
final class ChannelPool implements AutoCloseable {
  static final int FLOW_CONTROL_WINDOW = 1 << 20;

  private final int perTarget;
  private final Executor executor;
  private final ConcurrentHashMap<String, ManagedChannel[]> channels = new ConcurrentHashMap<>();

  ChannelPool(int perTarget, Executor executor) {
    if (perTarget < 1) {
      throw new IllegalArgumentException("at least one channel per target: " + perTarget);
    }
    this.perTarget = perTarget;
    this.executor = executor;
  }

  /**
   * Agent {@code k}'s channel to {@code target} (host:port), told to dial at once if it is
   * failing: gRPC otherwise waits longer and longer before redialling (as the real agent does).
   */
  ManagedChannel channel(String target, int k) {
    ManagedChannel[] all = channels.computeIfAbsent(target, t -> new ManagedChannel[perTarget]);
    int i = Math.floorMod(k, perTarget);
    ManagedChannel c;
    synchronized (all) {
      c = all[i];
      if (c == null) {
        c = NettyChannelBuilder.forTarget(target)
            .usePlaintext()
            .executor(executor)
            .flowControlWindow(FLOW_CONTROL_WINDOW)
            .build();
        all[i] = c;
      }
    }
    if (c.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      c.resetConnectBackoff();
    }
    return c;
  }

  /** How many channels exist now. */
  int open() {
    int n = 0;
    for (ManagedChannel[] all : channels.values()) {
      synchronized (all) {
        for (ManagedChannel c : all) {
          n += c == null ? 0 : 1;
        }
      }
    }
    return n;
  }

  /** Shuts every channel down, forcing those still busy after two seconds. */
  @Override
  public void close() {
    List<ManagedChannel> all = new ArrayList<>();
    for (ManagedChannel[] cs : channels.values()) {
      synchronized (cs) {
        for (ManagedChannel c : cs) {
          if (c != null) {
            all.add(c);
          }
        }
      }
    }
    all.forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (ManagedChannel c : all) {
      try {
        if (!c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }
}
