package org.openautoglm.oag.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One worker of a {@link SubmitLoad} run: writes through its own connection until the end
 * of the run, closed loop (next write when the last returns) or open loop (on its {@link
 * OpenLoopSchedule}). Runs on its own thread; stops early when interrupted.
 *
 * <p>Latency is measured from the intended send time: in a closed loop that is the send
 * time; in an open loop a worker that fell behind sends late, and the lateness is part of
 * the latency (and also recorded on its own as "behind"). Writes intended in the measured
 * phase but not sent by its end are counted as unsent, not silently dropped.
 *
 * <p>A closed loop may share a budget of measured-phase writes with the other workers: each
 * takes one before it sends, and the worker stops once none is left.
 */
final class LoadWorker implements Runnable {
  private final int index;
  private final BenchTarget.Writer writer;
  private final Phases phases;
  private final OpenLoopSchedule schedule;
  private final String keyPrefix;
  private final String payload;
  private final WorkerStats stats;
  private final LongSupplier nanoTime;
  private final AtomicLong budget;

  /**
   * {@code schedule} null: closed loop. {@code budget}: the measured-phase writes all workers
   * may still send, shared; null for no bound (an open loop has none).
   */
  LoadWorker(int index, BenchTarget.Writer writer, Phases phases, OpenLoopSchedule schedule,
      String namePrefix, String payload, WorkerStats stats, LongSupplier nanoTime,
      AtomicLong budget) {
    this.index = index;
    this.writer = writer;
    this.phases = phases;
    this.schedule = schedule;
    this.keyPrefix = namePrefix + "-w" + index + "-";
    this.payload = payload;
    this.stats = stats;
    this.nanoTime = nanoTime;
    this.budget = budget;
  }

  @Override
  public void run() {
    if (!waitUntil(phases.start())) {
      return;
    }
    if (schedule == null) {
      closedLoop();
    } else {
      openLoop();
    }
  }

  private void closedLoop() {
    for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
      long sent = nanoTime.getAsLong();
      if (sent >= phases.end()) {
        return;
      }
      if (budget != null && phases.measured(sent) && budget.getAndDecrement() <= 0) {
        return;
      }
      once(i, sent, sent);
    }
  }

  private void openLoop() {
    for (long i = 0; ; i++) {
      long intended = schedule.intended(index, i);
      if (intended >= phases.end()) {
        return;
      }
      if (nanoTime.getAsLong() >= phases.end() || !waitUntil(intended)) {
        long firstMeasured = schedule.sendsBefore(index, phases.measureStart());
        stats.unsent(schedule.sendsBefore(index, phases.end()) - Math.max(i, firstMeasured));
        return;
      }
      once(i, intended, nanoTime.getAsLong());
    }
  }

  private void once(long i, long intended, long sent) {
    boolean measured = phases.measured(intended);
    try {
      writer.write(keyPrefix + i, payload);
    } catch (RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        stats.failed(measured, e);
      }
      return;
    }
    long done = nanoTime.getAsLong();
    stats.acked(measured, done - intended, sent - intended);
  }

  /** Parks until {@code deadline}; false when interrupted first. */
  private boolean waitUntil(long deadline) {
    long left;
    while ((left = deadline - nanoTime.getAsLong()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return !Thread.currentThread().isInterrupted();
  }
}
