package org.openautoglm.oag.agent.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Decides, exit by exit, whether one allocation's process is restarted, when, or given up on.
 * One tracker per allocation, living as long as it does.
 *
 * <p>Contract: deterministic and pure apart from its own state. It never reads a clock, sleeps
 * or starts threads; times are nanos from the caller's monotonic clock (such as
 * {@link System#nanoTime()}) and are compared by difference, so any origin works. Not
 * thread-safe: the supervisor calls it from the allocation's one thread.
 *
 * <p>Why it works this way: the delay doubles from the initial backoff up to the maximum over
 * a crash loop, and starts again after a run of at least {@code stableAfter}, so a process that
 * got going and then failed is restarted quickly. Independently of that, the budget counts the
 * restarts granted within the sliding {@code budgetWindow} (by exit time) and gives up when it
 * is spent, so a process that keeps dying, even after stable-looking runs, ends FAILED instead
 * of flapping forever. Once given up, every later exit gets the same {@link
 * RestartDecision.GiveUp}.
 */
public final class RestartTracker {
  private final RestartPolicy policy;
  /** Exit times (nanos) of the restarts granted within the window, oldest first. */
  private final Deque<Long> recentRestarts = new ArrayDeque<>();
  private int attempt;
  private int restarts;
  private RestartDecision.GiveUp gaveUp;

  public RestartTracker(RestartPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Decides about an exit with {@code exitStatus} of a run that started at {@code
   * startedAtNanos} and exited at {@code exitedAtNanos}. A status other than 0, including a
   * shell-style killed-by-signal status (128 + signal), is a failure.
   *
   * @throws IllegalArgumentException if the run exited before it started
   */
  public RestartDecision onExit(int exitStatus, long startedAtNanos, long exitedAtNanos) {
    long ranNanos = exitedAtNanos - startedAtNanos;
    if (ranNanos < 0) {
      throw new IllegalArgumentException("exited at " + exitedAtNanos
          + " before it started at " + startedAtNanos);
    }
    if (gaveUp != null) {
      return gaveUp;
    }
    boolean restartable = switch (policy.mode()) {
      case NEVER -> false;
      case ON_FAILURE -> exitStatus != 0;
      case ALWAYS -> true;
    };
    if (!restartable) {
      return new RestartDecision.Stay(policy.mode() == RestartPolicy.Mode.NEVER
          ? "restart policy is never; exit status " + exitStatus
          : "exited 0 under restart policy on-failure");
    }
    return grant(ranNanos, exitedAtNanos);
  }

  /**
   * Decides about a run the supervisor ended itself to restart it (a broken threshold):
   * restartable whatever the policy's mode, but the budget and backoff apply as for a failed
   * exit, so a process that keeps breaking its limits ends FAILED.
   *
   * @throws IllegalArgumentException if the run ended before it started
   */
  public RestartDecision onRestart(long startedAtNanos, long endedAtNanos) {
    long ranNanos = endedAtNanos - startedAtNanos;
    if (ranNanos < 0) {
      throw new IllegalArgumentException("ended at " + endedAtNanos
          + " before it started at " + startedAtNanos);
    }
    return gaveUp != null ? gaveUp : grant(ranNanos, endedAtNanos);
  }

  private RestartDecision grant(long ranNanos, long exitedAtNanos) {
    if (ranNanos >= policy.stableAfter().toNanos()) {
      attempt = 0;
    }
    forgetRestartsBefore(exitedAtNanos);
    if (recentRestarts.size() >= policy.budget()) {
      gaveUp = new RestartDecision.GiveUp("restart budget exhausted: " + policy.budget()
          + " restarts within " + format(policy.budgetWindow()));
      return gaveUp;
    }
    attempt++;
    restarts++;
    recentRestarts.addLast(exitedAtNanos);
    Duration delay = backoff(attempt);
    return new RestartDecision.RestartAt(exitedAtNanos + delay.toNanos(), attempt, delay);
  }

  /** Restarts granted over this allocation's life. */
  public int restarts() {
    return restarts;
  }

  public RestartPolicy policy() {
    return policy;
  }

  private void forgetRestartsBefore(long nowNanos) {
    long window = policy.budgetWindow().toNanos();
    while (!recentRestarts.isEmpty() && nowNanos - recentRestarts.peekFirst() >= window) {
      recentRestarts.removeFirst();
    }
  }

  /** initial * 2^(attempt-1), capped at max without overflowing. */
  private Duration backoff(int attempt) {
    Duration max = policy.maxBackoff();
    Duration delay = policy.initialBackoff();
    for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
      delay = delay.compareTo(max.dividedBy(2)) > 0 ? max : delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** A duration as people write it in a reason: "10m", "1h30m", "45s", "500ms". */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder s = new StringBuilder();
    append(s, d.toHours(), "h");
    append(s, d.toMinutesPart(), "m");
    append(s, d.toSecondsPart(), "s");
    append(s, d.toMillisPart(), "ms");
    return s.isEmpty() ? d.toNanos() + "ns" : s.toString();
  }

  private static void append(StringBuilder s, long value, String unit) {
    if (value != 0) {
      s.append(value).append(unit);
    }
  }
}
