package org.openautoglm.oag.agent.session;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per coordinator, made on first use, with calls on the link's thread.
 * Link thread only, except {@link #close()}.
 */
final class CoordinatorChannels {
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private final Executor executor;

  CoordinatorChannels(Executor executor) {
    this.executor = executor;
  }

  /**
   * The channel to {@code target} (host:port), dialled at once if an earlier attempt failed:
   * gRPC otherwise waits longer and longer (up to minutes) before redialling and fails every
   * call meanwhile, though this coordinator may be back, or the only one reachable now.
   */
  ManagedChannel toTry(String target) {
    ManagedChannel channel = channels.computeIfAbsent(target, t -> {
      String[] hp = LinkSettings.hostPort(t);
      return NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().executor(executor).build();
    });
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    return channel;
  }

  /** Shuts every channel down, waiting up to half a second each before forcing it. */
  void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdown();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        if (!c.awaitTermination(500, TimeUnit.MILLISECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }
}
