package org.openautoglm.oag.chaos.check;

import java.util.Locale;

/**
 * A point in a history: an event's {@code time} (nanoseconds since the history's start) and,
 * to break ties, its position {@code index} in the history. A history is recorded under one
 * lock on a monotonic clock, so its order is real-time order; two events stamped with the same
 * nanosecond still happened one after the other, and the index says which. {@link #NEVER} is
 * the return of an operation whose outcome is unknown: it may take effect at any later time.
 */
record Moment(long time, int index) implements Comparable<Moment> {

  /** Later than every event: an operation that never settled. */
  static final Moment NEVER = new Moment(Long.MAX_VALUE, Integer.MAX_VALUE);

  @Override
  public int compareTo(Moment other) {
    int byTime = Long.compare(time, other.time);
    return byTime != 0 ? byTime : Integer.compare(index, other.index);
  }

  boolean isBefore(Moment other) {
    return compareTo(other) < 0;
  }

  /** Milliseconds with three decimals, or "?" for {@link #NEVER}. */
  @Override
  public String toString() {
    return this.equals(NEVER) ? "?" : String.format(Locale.ROOT, "%.3fms", time / 1e6);
  }
}
