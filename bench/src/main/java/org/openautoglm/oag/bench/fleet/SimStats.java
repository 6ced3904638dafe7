package org.openautoglm.oag.bench.fleet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the simulated agents count together: registrations, first sessions, reconnects and why
 * sessions failed, dropped messages, and heartbeat-to-ack latency (of heartbeats sent in the
 * measured phase). Thread-safe; written from the gRPC callback threads and the heartbeat shards.
 */
final class SimStats {
  private final AtomicInteger registered = new AtomicInteger();
  private final CountDownLatch allEstablished;
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder staleDropped = new LongAdder();
  private final LongAdder logRequests = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Recorder ackMicros = new Recorder(3);

  SimStats(int agents) {
    this.allEstablished = new CountDownLatch(agents);
  }

  /** An agent registered for the first time. */
  void registered() {
    registered.incrementAndGet();
  }

  /** An agent got its first desired set. */
  void establishedFirst() {
    allEstablished.countDown();
  }

  /** Waits until every agent has had a session, at most {@code nanos}; whether they all had. */
  boolean awaitAllEstablished(long nanos) throws InterruptedException {
    return allEstablished.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  int registeredCount() {
    return registered.get();
  }

  int everEstablished(int agents) {
    return agents - (int) allEstablished.getCount();
  }

  /** A register or session failed for {@code reason} (e.g. "session UNAVAILABLE"); a retry follows. */
  void failed(String reason) {
    reconnects.increment();
    failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  void staleDropped() {
    staleDropped.increment();
  }

  void logRequest() {
    logRequests.increment();
  }

  /** A measured heartbeat was acked {@code nanos} after it was sent. */
  void acked(long nanos) {
    acks.increment();
    ackMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  long reconnects() {
    return reconnects.sum();
  }

  long staleDroppedCount() {
    return staleDropped.sum();
  }

  long logRequests() {
    return logRequests.sum();
  }

  long acks() {
    return acks.sum();
  }

  /** The failures so far, by reason, sorted. */
  Map<String, Long> failures() {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The ack latencies (µs) recorded since the last call. */
  Histogram takeAckMicros() {
    return ackMicros.getIntervalHistogram();
  }
}
