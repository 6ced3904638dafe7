package org.openautoglm.oag.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: the n-th wait is drawn uniformly from
 * [cap/2, cap] where cap = min(max, initial * 2^n). Spreading the waits keeps many clients
 * from hammering a newly elected leader in step. One instance per logical call; not
 * thread-safe. Public so that other clients measured beside this one (the benchmark's etcd
 * target) retry on exactly the same schedule.
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private int retries;

  public Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = Math.max(max.toNanos(), initialNanos);
  }

  /** Like {@link #next()}, but never longer than {@code limit}. */
  Duration nextAtMost(Duration limit) {
    Duration d = next();
    return d.compareTo(limit) > 0 ? limit : d;
  }

  public Duration next() {
    long cap = initialNanos << Math.min(retries, 30);
    if (cap <= 0 || cap > maxNanos) {
      cap = maxNanos;
    }
    retries++;
    long half = cap / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(cap - half + 1));
  }
}
