package org.openautoglm.oag.agent.session;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Turns heartbeat acks into the lease deadline. It remembers each heartbeat's send time on
 * the monotonic clock (nanos, compared by difference); an ack for heartbeat {@code seq} with
 * {@code leaseMs} moves the deadline to {@code sent(seq) + leaseMs}, and never backwards, so a
 * late ack for an old heartbeat cannot shorten the lease.
 *
 * <p>Why the send time and not the ack's arrival: the leader can only vouch for the moment it
 * last knew the heartbeat was sent; timing from the arrival would stretch the lease by the
 * round trip, which is exactly when a deposed leader's ack would be most harmful.
 *
 * <p>Pure and deterministic; not thread-safe: used from the session's one thread.
 */
final class LeaseTracker {
  /** Send times kept for acks still to come; older heartbeats are never acked in time anyway. */
  static final int REMEMBERED = 256;

  private record Sent(long seq, long atNanos) {}

  private final Deque<Sent> sent = new ArrayDeque<>();
  private boolean hasDeadline;
  private long deadlineNanos;

  /** Records that heartbeat {@code seq} (increasing) was sent at {@code atNanos}. */
  void sent(long seq, long atNanos) {
    sent.addLast(new Sent(seq, atNanos));
    while (sent.size() > REMEMBERED) {
      sent.removeFirst();
    }
  }

  /**
   * Applies an ack; returns the new deadline if it moved the lease forward, empty when it did
   * not (an unknown or too old {@code seq}, a non-positive {@code leaseMs}, or an ack that would
   * not extend the lease).
   */
  OptionalLong acked(long seq, long leaseMs) {
    if (leaseMs <= 0) {
      return OptionalLong.empty();
    }
    Long at = null;
    for (Sent s : sent) {
      if (s.seq == seq) {
        at = s.atNanos;
        break;
      }
    }
    if (at == null) {
      return OptionalLong.empty();
    }
    long candidate = at + leaseMs * 1_000_000L;
    // Acks older than the acked heartbeat can no longer extend anything: forget them.
    while (!sent.isEmpty() && sent.peekFirst().seq < seq) {
      sent.removeFirst();
    }
    if (hasDeadline && candidate - deadlineNanos <= 0) {
      return OptionalLong.empty();
    }
    hasDeadline = true;
    deadlineNanos = candidate;
    return OptionalLong.of(candidate);
  }

  /** Whether {@code seq} is a heartbeat whose send time is still remembered. */
  boolean knows(long seq) {
    return sent.stream().anyMatch(s -> s.seq == seq);
  }

  OptionalLong deadlineNanos() {
    return hasDeadline ? OptionalLong.of(deadlineNanos) : OptionalLong.empty();
  }
}
