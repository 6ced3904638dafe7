package org.openautoglm.oag.bench.fleet;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One heartbeat thread's share of the fleet: it walks its agents in the order of their offsets
 * (see {@link SendSchedule}), waits for each one's due time, sends its heartbeat, and records
 * how late the send started against the schedule. The simulator runs a few of these, not a
 * thread (or a timer) per agent.
 *
 * <p>Why lateness is recorded at all: a DOWN verdict means the leader heard nothing from a
 * node for its TTL, and a simulator starved of CPU or stopped by its own GC sends late; the
 * lateness (and each agent's longest gap, kept by the agent) tells which of the two a verdict
 * was.
 *
 * <p>A shard that falls a whole interval or more behind (a long pause) does not send the
 * missed cycles in a burst: it skips them, counting each skipped heartbeat as missed, and
 * carries on with the current cycle; a heartbeat less than an interval late is sent, late.
 * Only heartbeats due before {@code recordUntilNanos} are counted and recorded: the
 * measured phase; later ones are still sent (they keep the nodes alive while they retire).
 *
 * <p>Threading: {@link #run()} on the shard's own thread; the counters and the histogram
 * may be read from any thread ({@link #totals()}).
 */
final class HeartbeatShard implements Runnable {

  /**
   * Sends agent {@code k}'s heartbeat now if it has a session; whether it sent one. {@code
   * measured}: the heartbeat belongs to the measured phase (its ack is to be timed).
   */
  interface Sender {
    boolean send(int k, boolean measured);
  }

  /** Waits until the clock reads {@code nanos} or later; false when the shard must stop. */
  interface Waiter {
    boolean awaitUntil(long nanos);
  }

  /** What a shard counted over its measured heartbeats. */
  record Totals(long sent, long skipped, long missed, Histogram lateMicros) {}

  private final int[] agents;
  private final SendSchedule schedule;
  private final LongSupplier clock;
  private final Waiter waiter;
  private final Sender sender;
  private final long recordUntilNanos;
  private final Histogram lateMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private long sent;      // guarded by this
  private long skipped;   // guarded by this: due while the agent had no session
  private long missed;    // guarded by this: whole cycles skipped after a stall

  /**
   * @param agents the agent indexes of this shard, in increasing order (so in order of their
   *     offsets into the interval)
   */
  HeartbeatShard(int[] agents, SendSchedule schedule, LongSupplier clock, Waiter waiter, Sender sender,
      long recordUntilNanos) {
    for (int i = 1; i < agents.length; i++) {
      if (agents[i] <= agents[i - 1]) {
        throw new IllegalArgumentException("agents must be increasing");
      }
    }
    this.agents = agents.clone();
    this.schedule = schedule;
    this.clock = clock;
    this.waiter = waiter;
    this.sender = sender;
    this.recordUntilNanos = recordUntilNanos;
  }

  @Override
  public void run() {
    if (agents.length == 0) {
      return;
    }
    long cycle = 0;
    while (true) {
      long behind = schedule.cyclesBehind(agents[0], cycle, clock.getAsLong());
      if (behind > 0) {
        skip(cycle, behind);
        cycle += behind;
      }
      for (int k : agents) {
        long due = schedule.dueNanos(k, cycle);
        if (!waiter.awaitUntil(due)) {
          return;
        }
        long start = clock.getAsLong();
        boolean measured = due - recordUntilNanos < 0;
        boolean ok = sender.send(k, measured);
        if (measured) {
          record(ok, start - due);
        }
      }
      cycle++;
    }
  }

  private synchronized void record(boolean ok, long lateNanos) {
    if (ok) {
      sent++;
      lateMicros.recordValue(Math.min(lateMicros.getHighestTrackableValue(),
          Math.max(0, TimeUnit.NANOSECONDS.toMicros(lateNanos))));
    } else {
      skipped++;
    }
  }

  private synchronized void skip(long cycle, long cycles) {
    for (long c = cycle; c < cycle + cycles; c++) {
      for (int k : agents) {
        if (schedule.dueNanos(k, c) - recordUntilNanos < 0) {
          missed++;
        }
      }
    }
  }

  /** A copy of what was counted so far. */
  synchronized Totals totals() {
    return new Totals(sent, skipped, missed, lateMicros.copy());
  }
}
