package org.openautoglm.oag.bench.fleet;

import java.util.OptionalLong;

/**
 * The send times of one agent's last {@link #SLOTS} heartbeats, to time their acks: an ack for
 * heartbeat {@code seq} is matched by its slot ({@code seq mod SLOTS}), timed once, and only if
 * the heartbeat was measured. Acks come within a few hundred ms, long before a slot is reused;
 * an ack for a forgotten or already acked heartbeat is ignored. Pure; not thread-safe (its
 * agent's lock guards it).
 */
final class AckClock {
  static final int SLOTS = 16;

  private final long[] seqs = new long[SLOTS];
  private final long[] sentNanos = new long[SLOTS];
  private final boolean[] measured = new boolean[SLOTS];

  /** Heartbeat {@code seq} (from 1) was sent at {@code nanos}. */
  void sent(long seq, long nanos, boolean isMeasured) {
    int slot = slot(seq);
    seqs[slot] = seq;
    sentNanos[slot] = nanos;
    measured[slot] = isMeasured;
  }

  /** The time from heartbeat {@code seq}'s send to {@code nowNanos}, if it is to be timed now. */
  OptionalLong acked(long seq, long nowNanos) {
    int slot = slot(seq);
    if (seq == 0 || seqs[slot] != seq) {
      return OptionalLong.empty();
    }
    seqs[slot] = 0;
    return measured[slot] ? OptionalLong.of(nowNanos - sentNanos[slot]) : OptionalLong.empty();
  }

  private static int slot(long seq) {
    return (int) Math.floorMod(seq, (long) SLOTS);
  }
}
