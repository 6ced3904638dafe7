package org.openautoglm.oag.bench;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The send and acknowledgement times (System.nanoTime) of acknowledged writes, shared by the
 * failover probe's writer threads. Thread-safe; {@link #clear()} before each round keeps it
 * to one round's writes.
 */
final class AckLog {

  /** One acknowledged write: its logical call started at {@code sendNanos}. */
  record Ack(long sendNanos, long ackNanos) {}

  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final AtomicLong acked = new AtomicLong();
  private volatile long lastAckNanos;
  private volatile boolean anyAck;

  void record(long sendNanos, long ackNanos) {
    acks.add(new Ack(sendNanos, ackNanos));
    acked.incrementAndGet();
    lastAckNanos = ackNanos;
    anyAck = true;
  }

  /** Whether some write was acknowledged at or after {@code since}. */
  boolean ackedSince(long since) {
    return anyAck && lastAckNanos - since >= 0;
  }

  /** Acknowledged writes since the log was made (not reset by {@link #clear()}). */
  long total() {
    return acked.get();
  }

  void clear() {
    acks.clear();
  }

  /** See {@link #gapNanos(Iterable, long)}, over this log. */
  OptionalLong gapNanos(long t0) {
    return gapNanos(acks, t0);
  }

  /**
   * The failover gap: from {@code t0} (the kill) to the first acknowledgement of a write
   * whose call started at or after {@code t0}. Writes sent earlier do not count, whenever
   * they were acknowledged: they may have been committed by the old leader just before it
   * died. Empty when no such write was acknowledged yet.
   */
  static OptionalLong gapNanos(Iterable<Ack> acks, long t0) {
    long first = 0;
    boolean found = false;
    for (Ack a : acks) {
      if (a.sendNanos() - t0 >= 0 && (!found || a.ackNanos() - first < 0)) {
        first = a.ackNanos();
        found = true;
      }
    }
    return found ? OptionalLong.of(first - t0) : OptionalLong.empty();
  }
}
