package org.openautoglm.oag.coordinator.propose;

import java.util.function.LongSupplier;
import org.openautoglm.oag.coordinator.Clock;

/**
 * The replicated time a leader stamps into its commands: its wall clock, held within a term to
 * where its monotonic clock says time has got to since the term's first stamp, give or take
 * {@link #SKEW_MS} plus {@link #CATCH_UP_PERCENT} of the time since. A wall clock stepped far
 * during a term (an NTP step, a clock set by hand) then moves replicated time by at most a
 * minute at once and otherwise only a little faster or slower than real time; without the
 * bound one step of a day expired every request id's dedupe entry at once (a retry then ran
 * twice) and every finished task's retention, found by the chaos harness's clock jumps.
 * Drift between the two clocks (parts per million) is followed: it stays far inside the bound.
 *
 * <p>A term's first stamp is the wall clock as it is: a new leader cannot tell a clock that is
 * wrong from a cluster that was down for a day, so clocks must be kept right (NTP); the
 * state machine still never lets replicated time go back. Not thread-safe: the proposer's
 * loop is its only caller.
 */
final class TimeStamps {
  /** How far a stamp may be from the monotonic projection at any time. */
  static final long SKEW_MS = 60_000;
  /** How much faster or slower than real time a stepped wall clock is followed. */
  static final long CATCH_UP_PERCENT = 1;

  private final Clock wall;
  private final LongSupplier nanos;
  private long term = Long.MIN_VALUE;
  private long baseMs;
  private long baseNanos;

  TimeStamps(Clock wall, LongSupplier nanos) {
    this.wall = wall;
    this.nanos = nanos;
  }

  /** The time to stamp into a command proposed now in {@code term}. */
  long stamp(long term) {
    long wallMs = wall.millis();
    long now = nanos.getAsLong();
    if (term != this.term) {
      this.term = term;
      baseMs = wallMs;
      baseNanos = now;
      return wallMs;
    }
    long elapsedMs = (now - baseNanos) / 1_000_000;
    long expected = baseMs + elapsedMs;
    long bound = SKEW_MS + elapsedMs * CATCH_UP_PERCENT / 100;
    return Math.max(expected - bound, Math.min(wallMs, expected + bound));
  }
}
