package org.openautoglm.oag.agent.session;

/**
 * The delay before the link's next try after a failed one (a round of registers none of which
 * was answered, or a session that ended): the minimum for as many tries as there are
 * coordinators less one (long enough for a failover's election, after which some coordinator
 * relays to the new leader), then doubling up to the maximum; both start over once a session
 * is established. Link thread only.
 *
 * <p>Why not double from the first failure: a doubling delay right away cost seconds in every
 * failover, while the coordinators were still electing the new leader.
 */
final class ReconnectBackoff {
  private final long minNanos;
  private final long maxNanos;
  private final int coordinators;
  private long doublingNanos;
  private int failures;   // since the last established session

  ReconnectBackoff(LinkSettings settings) {
    this.minNanos = settings.backoffMin().toNanos();
    this.maxNanos = settings.backoffMax().toNanos();
    this.coordinators = settings.coordinators().size();
    this.doublingNanos = minNanos;
  }

  /** A session was established. */
  void reset() {
    doublingNanos = minNanos;
    failures = 0;
  }

  /** A try failed: how long to wait before the next. */
  long nextDelayNanos() {
    if (++failures < coordinators) {
      return minNanos;
    }
    long delay = doublingNanos;
    doublingNanos = Math.min(doublingNanos * 2, maxNanos);
    return delay;
  }
}
