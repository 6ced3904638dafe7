package org.openautoglm.oag.bench.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, as the coordinator client's: the n-th wait is drawn
 * uniformly from [cap/2, cap] where cap = min(max, initial * 2^n). One instance per write;
 * not thread-safe.
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private int retries;

  Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = Math.max(max.toNanos(), initialNanos);
  }

  long nextNanos() {
    long cap = initialNanos << Math.min(retries, 30);
    if (cap <= 0 || cap > maxNanos) {
      cap = maxNanos;
    }
    retries++;
    long half = cap / 2;
    return half + ThreadLocalRandom.current().nextLong(cap - half + 1);
  }
}
