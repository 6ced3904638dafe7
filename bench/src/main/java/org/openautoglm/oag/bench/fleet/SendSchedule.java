package org.openautoglm.oag.bench.fleet;

/**
 * When each simulated agent intends to send its heartbeats: agent {@code k} of {@code N}
 * sends at {@code start + k/N * interval + c * interval} for cycle {@code c = 0, 1, ...}, so
 * the fleet's heartbeats are spread evenly over every interval (one every interval/N), as a
 * real fleet's are once its agents' start times have scattered. Pure arithmetic, immutable;
 * times are computed from the indexes, never accumulated, so rounding never drifts.
 */
record SendSchedule(long startNanos, long intervalNanos, int agents) {

  SendSchedule {
    if (intervalNanos <= 0 || agents < 1) {
      throw new IllegalArgumentException("a positive interval and at least one agent: "
          + intervalNanos + " ns, " + agents);
    }
  }

  /** Agent {@code k}'s offset into every interval. */
  long offsetNanos(int k) {
    if (k < 0 || k >= agents) {
      throw new IllegalArgumentException("agent " + k + " of " + agents);
    }
    return Math.multiplyExact(intervalNanos, (long) k) / agents;
  }

  /** When agent {@code k} intends to send its heartbeat of cycle {@code cycle}. */
  long dueNanos(int k, long cycle) {
    if (cycle < 0) {
      throw new IllegalArgumentException("cycle " + cycle);
    }
    return startNanos + cycle * intervalNanos + offsetNanos(k);
  }

  /**
   * How many whole intervals {@code nowNanos} is past agent {@code k}'s heartbeat of {@code
   * cycle}: 0 while that heartbeat is due less than an interval ago (or not yet due).
   */
  long cyclesBehind(int k, long cycle, long nowNanos) {
    long late = nowNanos - dueNanos(k, cycle);
    return late <= 0 ? 0 : late / intervalNanos;
  }
}
