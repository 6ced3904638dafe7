package org.openautoglm.oag.client;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The coordinator addresses a client knows, the one it currently talks to (the leader, once
 * found) and one lazily opened channel per address. Leader hints may name an address that
 * was not configured; it is added. Thread-safe: concurrent calls share the current choice,
 * and a failure only moves it when it still points at the address that failed.
 */
final class Endpoints implements AutoCloseable {
  private final List<String> addresses;
  private final Function<String, ManagedChannel> channelFactory;
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private int current;
  private boolean closed;

  Endpoints(List<String> addresses, Function<String, ManagedChannel> channelFactory) {
    this.addresses = new ArrayList<>(addresses);
    this.channelFactory = channelFactory;
  }

  synchronized String current() {
    return addresses.get(current);
  }

  /** Points at the leader's address named by a hint, adding it when new. */
  synchronized void follow(String leaderAddress) {
    int i = addresses.indexOf(leaderAddress);
    if (i < 0) {
      addresses.add(leaderAddress);
      i = addresses.size() - 1;
    }
    current = i;
  }

  /** Moves on to the next address when {@code failed} is still the current one. */
  synchronized void skip(String failed) {
    if (addresses.get(current).equals(failed)) {
      current = (current + 1) % addresses.size();
    }
  }

  synchronized int size() {
    return addresses.size();
  }

  synchronized ManagedChannel channel(String address) {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    return channels.computeIfAbsent(address, channelFactory);
  }

  @Override
  public void close() {
    List<ManagedChannel> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(channels.values());
    }
    open.forEach(ManagedChannel::shutdown);
    for (ManagedChannel c : open) {
      try {
        if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        c.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
