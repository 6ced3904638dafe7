package org.openautoglm.oag.agent.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest leader term this agent process has seen. A message from a lower term comes from
 * a deposed leader (or a follower relaying for one) and must not change anything here.
 * Thread-safe; the term only grows.
 */
final class TermTracker {
  private final AtomicLong highest = new AtomicLong();

  /** Whether a message of {@code term} may be acted on; raises the highest term if it is newer. */
  boolean admit(long term) {
    return highest.accumulateAndGet(term, Math::max) == term;
  }

  /** Raises the highest term to {@code term} if higher, e.g. from a register reply. */
  void observe(long term) {
    highest.accumulateAndGet(term, Math::max);
  }

  long highest() {
    return highest.get();
  }
}
