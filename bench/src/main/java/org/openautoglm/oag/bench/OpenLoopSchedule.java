package org.openautoglm.oag.bench;

/**
 * When each worker of an open-loop run intends to send its i-th write. Pure arithmetic,
 * immutable.
 *
 * <p>Why a schedule and not "sleep between writes": a worker that waits for a slow reply
 * and then sleeps sends fewer writes exactly when the system is slow, and the slow period
 * never shows in the latencies (coordinated omission). Here the send times are fixed in
 * advance; a write's latency is measured from its intended time, so time spent behind
 * schedule counts.
 *
 * <p>With {@code W} workers and a total rate {@code R}/s, each worker sends every
 * {@code W/R} s, and worker {@code k} starts {@code k/R} s late, so the merged stream is
 * evenly spaced: one write every {@code 1/R} s. Times are computed from the index, never
 * accumulated, so rounding never drifts.
 */
final class OpenLoopSchedule {
  private final long startNanos;
  private final int workers;
  private final double intervalNanos;
  private final double staggerNanos;

  OpenLoopSchedule(long startNanos, int workers, double totalRatePerSecond) {
    if (workers < 1 || !(totalRatePerSecond > 0) || Double.isInfinite(totalRatePerSecond)) {
      throw new IllegalArgumentException("workers >= 1 and a positive rate needed");
    }
    this.startNanos = startNanos;
    this.workers = workers;
    this.staggerNanos = 1e9 / totalRatePerSecond;
    this.intervalNanos = staggerNanos * workers;
  }

  /** The intended send time of worker {@code worker}'s write number {@code i} (from 0). */
  long intended(int worker, long i) {
    if (worker < 0 || worker >= workers || i < 0) {
      throw new IllegalArgumentException("worker " + worker + ", write " + i);
    }
    return startNanos + Math.round(worker * staggerNanos + i * intervalNanos);
  }

  /** How many of worker {@code worker}'s writes are intended strictly before {@code t}. */
  long sendsBefore(int worker, long t) {
    if (intended(worker, 0) >= t) {
      return 0;
    }
    long n = (long) Math.ceil((t - startNanos - worker * staggerNanos) / intervalNanos);
    n = Math.max(n, 1);
    while (n > 1 && intended(worker, n - 1) >= t) {
      n--;
    }
    while (intended(worker, n) < t) {
      n++;
    }
    return n;
  }
}
