package org.openautoglm.oag.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one worker saw: counts per phase, errors by exception class, and (measured phase
 * only) latencies and schedule lag in microseconds.
 *
 * <p>Written by its worker, read by the runner after the run; the lock is uncontended except
 * at that hand-over. {@link #seal()} ends recording, so a worker abandoned after the drain
 * timeout cannot change what has been reported.
 */
final class WorkerStats {
  /** Latencies up to an hour are recorded exactly to 3 significant digits. */
  static final long HIGHEST_MICROS = 3_600_000_000L;

  private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram behind = new Histogram(HIGHEST_MICROS, 3);
  private final Map<String, Long> errors = new TreeMap<>();
  private long warmupOps;
  private long warmupErrors;
  private long ops;
  private long unsent;
  private boolean sealed;

  synchronized void acked(boolean measured, long latencyNanos, long behindNanos) {
    if (sealed) {
      return;
    }
    if (!measured) {
      warmupOps++;
      return;
    }
    ops++;
    latency.recordValue(micros(latencyNanos));
    behind.recordValue(micros(behindNanos));
  }

  synchronized void failed(boolean measured, Throwable error) {
    if (sealed) {
      return;
    }
    if (!measured) {
      warmupErrors++;
      return;
    }
    errors.merge(error.getClass().getSimpleName(), 1L, Long::sum);
  }

  /** Open loop: measured-phase writes whose time came but that were never sent. */
  synchronized void unsent(long n) {
    if (!sealed) {
      unsent += n;
    }
  }

  synchronized void seal() {
    sealed = true;
  }

  /** Adds this worker's figures to {@code into}. */
  synchronized void addTo(Totals into) {
    into.latency.add(latency);
    into.behind.add(behind);
    errors.forEach((k, v) -> into.errors.merge(k, v, Long::sum));
    into.warmupOps += warmupOps;
    into.warmupErrors += warmupErrors;
    into.ops += ops;
    into.unsent += unsent;
  }

  private static long micros(long nanos) {
    return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
  }

  /** Every worker's figures merged; filled by {@link #addTo}, read by the report. */
  static final class Totals {
    final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    final Histogram behind = new Histogram(HIGHEST_MICROS, 3);
    final Map<String, Long> errors = new TreeMap<>();
    long warmupOps;
    long warmupErrors;
    long ops;
    long unsent;
  }
}
