package org.openautoglm.oag.coordinator.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link StateStore}. Immutable.
 *
 * <p>{@code dedupeTtl}, {@code terminalTaskRetention} and {@code eventRetention}
 * change what apply computes, so every replica of a cluster must use the same
 * values or their states (and digests) diverge. The memory settings are local
 * to each node.
 *
 * @param dedupeTtl how long, in replicated time, a request id keeps its original result
 * @param terminalTaskRetention how long, in replicated time, a finished task stays stored
 * @param blockCacheBytes the one block cache shared by every column family
 * @param writeBufferBytes the bound on all memtables together, charged to the block cache
 * @param eventRetention how many events the event log keeps; the oldest beyond it are deleted
 */
public record StoreSettings(
    Duration dedupeTtl, Duration terminalTaskRetention, long blockCacheBytes, long writeBufferBytes,
    long eventRetention) {

  /** Events kept when nothing else is said. */
  public static final long DEFAULT_EVENT_RETENTION = 100_000;

  public StoreSettings {
    Objects.requireNonNull(dedupeTtl, "dedupeTtl");
    Objects.requireNonNull(terminalTaskRetention, "terminalTaskRetention");
    if (dedupeTtl.isNegative() || terminalTaskRetention.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (blockCacheBytes <= 0 || writeBufferBytes <= 0) {
      throw new IllegalArgumentException("memory bounds must be positive");
    }
    if (eventRetention < 0) {
      throw new IllegalArgumentException("event retention must not be negative");
    }
  }

  /** With the {@linkplain #DEFAULT_EVENT_RETENTION default event retention}. */
  public StoreSettings(Duration dedupeTtl, Duration terminalTaskRetention, long blockCacheBytes,
      long writeBufferBytes) {
    this(dedupeTtl, terminalTaskRetention, blockCacheBytes, writeBufferBytes, DEFAULT_EVENT_RETENTION);
  }

  /** 24 h dedupe, 24 h retention, 64 MiB block cache, 64 MiB of write buffers, 100,000 events. */
  public static StoreSettings defaults() {
    return new StoreSettings(Duration.ofHours(24), Duration.ofHours(24), 64L << 20, 64L << 20);
  }

  public StoreSettings withDedupeTtl(Duration ttl) {
    return new StoreSettings(ttl, terminalTaskRetention, blockCacheBytes, writeBufferBytes, eventRetention);
  }

  public StoreSettings withTerminalTaskRetention(Duration retention) {
    return new StoreSettings(dedupeTtl, retention, blockCacheBytes, writeBufferBytes, eventRetention);
  }

  public StoreSettings withEventRetention(long events) {
    return new StoreSettings(dedupeTtl, terminalTaskRetention, blockCacheBytes, writeBufferBytes, events);
  }
}
