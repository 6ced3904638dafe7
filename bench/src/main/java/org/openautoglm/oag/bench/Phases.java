package org.openautoglm.oag.bench;

/**
 * The clock times (System.nanoTime) that divide a run: warm-up from {@code start}, the
 * measured phase from {@code measureStart}, no new writes from {@code end}. A write belongs
 * to the phase of its intended send time, wherever it completes.
 */
record Phases(long start, long measureStart, long end) {

  Phases {
    if (measureStart < start || end <= measureStart) {
      throw new IllegalArgumentException("phases out of order");
    }
  }

  static Phases of(long start, long warmupNanos, long durationNanos) {
    return new Phases(start, start + warmupNanos, start + warmupNanos + durationNanos);
  }

  boolean measured(long intendedNanos) {
    return intendedNanos >= measureStart;
  }
}
