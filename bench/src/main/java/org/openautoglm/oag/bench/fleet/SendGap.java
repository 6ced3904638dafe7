package org.openautoglm.oag.bench.fleet;

/**
 * One agent's gaps between consecutive sends of anything that tells the leader it is alive (a
 * register, a hello, a heartbeat), on the monotonic clock: the longest of the whole run, and
 * the longest since the last {@link #mark} (a DOWN verdict), the gap still open at the time
 * asked included. Pure; not thread-safe (its agent's lock guards it).
 */
final class SendGap {
  private boolean any;
  private long lastNanos;
  private long longestNanos;
  private long longestSinceMarkNanos;

  /** Something was sent at {@code nowNanos}. */
  void sent(long nowNanos) {
    if (any) {
      long gap = Math.max(0, nowNanos - lastNanos);
      longestNanos = Math.max(longestNanos, gap);
      longestSinceMarkNanos = Math.max(longestSinceMarkNanos, gap);
    }
    any = true;
    lastNanos = nowNanos;
  }

  /** The longest gap of the run, counting the one open at {@code nowNanos}; 0 before any send. */
  long longestNanos(long nowNanos) {
    return any ? Math.max(longestNanos, nowNanos - lastNanos) : 0;
  }

  /**
   * The longest gap since the last {@link #mark} (or the first send), counting the one open at
   * {@code nowNanos}; 0 before any send.
   */
  long longestSinceMarkNanos(long nowNanos) {
    return any ? Math.max(longestSinceMarkNanos, nowNanos - lastNanos) : 0;
  }

  /** Starts a new span for {@link #longestSinceMarkNanos}; the gap open now still counts in it. */
  void mark() {
    longestSinceMarkNanos = 0;
  }
}
