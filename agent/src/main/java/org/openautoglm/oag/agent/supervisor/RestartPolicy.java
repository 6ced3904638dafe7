package org.openautoglm.oag.agent.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how fast an allocation's process is restarted after it exits. Immutable; checked
 * when built, so a {@link RestartTracker} never sees a bad policy.
 *
 * @param mode whether an exit leads to a restart at all
 * @param initialBackoff the delay before the first restart of a crash loop; may be zero
 * @param maxBackoff the cap on the doubling delay; at least {@code initialBackoff}
 * @param stableAfter a run at least this long counts as stable: the next restart starts again
 *     from {@code initialBackoff}
 * @param budget how many restarts are allowed within {@code budgetWindow}; the exit that would
 *     need one more gives up. Zero means an exit that would restart gives up at once
 * @param budgetWindow the sliding window the budget counts restarts in; positive
 */
public record RestartPolicy(Mode mode, Duration initialBackoff, Duration maxBackoff,
    Duration stableAfter, int budget, Duration budgetWindow) {

  /** Which exits lead to a restart. */
  public enum Mode {
    /** No exit is restarted: the process runs once. */
    NEVER,
    /** Only a failed exit (non-zero status, including killed by a signal) is restarted. */
    ON_FAILURE,
    /** Every exit is restarted, a clean one too (a service that should always run). */
    ALWAYS
  }

  public RestartPolicy {
    Objects.requireNonNull(mode, "mode");
    requireNonNegative("initialBackoff", initialBackoff);
    requireNonNegative("maxBackoff", maxBackoff);
    requireNonNegative("stableAfter", stableAfter);
    requireNonNegative("budgetWindow", budgetWindow);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is less than initialBackoff " + initialBackoff);
    }
    if (budgetWindow.isZero()) {
      throw new IllegalArgumentException("budgetWindow must be positive");
    }
    if (budget < 0) {
      throw new IllegalArgumentException("budget must be >= 0, was " + budget);
    }
  }

  /**
   * The defaults for {@code mode}: first restart after 1 s, doubling to at most 60 s; a run of
   * 30 s counts as stable; at most 5 restarts within 10 min.
   *
   * <p>Why these: 1 s keeps a crash loop from spinning the host; 60 s bounds how long a process
   * stays down after a transient cause (a port, a mount, the leader) goes away; 30 s is past
   * the start-up of the processes we run, so a process that lived that long got going and its
   * next crash is a new problem, not the same loop. With 1+2+4+8+16 s of backoff a tight crash
   * loop gives up in about half a minute, while a process crashing less often than every two
   * minutes keeps being restarted.
   */
  public static RestartPolicy defaults(Mode mode) {
    return new RestartPolicy(mode, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(30), 5, Duration.ofMinutes(10));
  }

  private static void requireNonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    try {
      d.toNanos();
    } catch (ArithmeticException e) {
      // The tracker works in nanos from a monotonic clock, so every duration must fit in them
      throw new IllegalArgumentException(name + " is too long: " + d, e);
    }
  }
}
