package org.openautoglm.oag.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The failover probe's background load: threads that write continuously through one shared
 * connection, each write's (send, ack) times into an {@link AckLog}, failures counted by
 * exception class. A write that fails is followed at once by the next one; the connection's
 * own retries and backoff decide how fast the writers find a new leader.
 */
final class AckingWriters implements AutoCloseable {
  private static final long STOP_WAIT_MS = 10_000;

  private final BenchTarget.Writer writer;
  private final String prefix;
  private final AckLog log;
  private final LongSupplier nanoTime;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  AckingWriters(BenchTarget.Writer writer, int count, String prefix, AckLog log,
      LongSupplier nanoTime) {
    this.writer = writer;
    this.prefix = prefix;
    this.log = log;
    this.nanoTime = nanoTime;
    for (int k = 0; k < count; k++) {
      int index = k;
      Thread t = new Thread(() -> loop(index), "bench-failover-writer-" + k);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  private void loop(int index) {
    for (long i = 0; !stopped && !Thread.currentThread().isInterrupted(); i++) {
      long sent = nanoTime.getAsLong();
      try {
        writer.write(prefix + "-w" + index + "-" + i, "");
      } catch (RuntimeException e) {
        if (!stopped) {
          errors.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        }
        continue;
      }
      log.record(sent, nanoTime.getAsLong());
    }
  }

  /** Failed writes by exception class so far. */
  Map<String, Long> errors() {
    return new TreeMap<>(errors);
  }

  /** Stops the threads (interrupting calls in flight) and waits for them, bounded. */
  @Override
  public void close() {
    stopped = true;
    threads.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
    for (Thread t : threads) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
