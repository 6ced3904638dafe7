package org.openautoglm.oag.agent.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RestartTracker#onExit} decided about one exit of an allocation's process.
 * Exactly one of: stay down ({@link Stay}), restart later ({@link RestartAt}), or give up for
 * good because the restart budget is spent ({@link GiveUp}).
 */
public sealed interface RestartDecision {

  /**
   * No restart, as the policy asks (mode never, or on-failure after a clean exit). The final
   * state, SUCCEEDED or FAILED, follows from the exit status and is the caller's to set.
   */
  record Stay(String reason) implements RestartDecision {
    public Stay {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Restart at {@code atNanos} on the caller's monotonic clock, which is the exit time plus
   * {@code delay}.
   *
   * @param attempt the restart's number in the current crash loop, from 1; back to 1 after a
   *     stable run
   */
  record RestartAt(long atNanos, int attempt, Duration delay) implements RestartDecision {
    public RestartAt {
      Objects.requireNonNull(delay, "delay");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
      }
    }
  }

  /**
   * The restart budget is spent: the allocation ends FAILED for this reason, and the caller
   * records an event saying so.
   */
  record GiveUp(String reason) implements RestartDecision {
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
