package org.openautoglm.oag.coordinator.fleet;

import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the lease rule: a heartbeat is acked (which renews the agent's lease)
 * only once a leadership check in the same term, begun after the heartbeat arrived, has
 * succeeded. A deposed leader that has not noticed yet, or one paused and resumed, fails the
 * check (its ReadIndex needs a majority in its term) and so renews nobody's lease; the new
 * leader's TTL for the agent starts no earlier than its election, after the old leader's last
 * successful check, so no exclusive task outlives its lease on an agent the new leader declares
 * down.
 *
 * <p>One check serves every heartbeat that arrived before it began, and checks start at most
 * every {@link #MIN_INTERVAL_MS} ms, so the cost does not grow with the number of agents.
 * Thread-safe.
 */
final class LeaseAcks {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseAcks.class);
  static final long MIN_INTERVAL_MS = 200;
  static final long CHECK_TIMEOUT_MS = 2_000;

  /** What a check asks of Raft: the current term and a same-term ReadIndex. */
  interface Leadership {
    /** The term this node leads in, or -1 when it does not lead. */
    long leadingTerm();

    /** Completes once a majority confirmed this node still leads (a ReadIndex). */
    CompletableFuture<Void> confirm();
  }

  private record Pending(long term, long receivedNanos, Runnable ack) {}

  private final Leadership leadership;
  private final ScheduledExecutorService executor;
  private final LongSupplier nanoClock;
  private final Timer ackDelay;
  private List<Pending> pending = new ArrayList<>();   // guarded by this
  private boolean checking;                            // guarded by this
  private long lastStartNanos;                         // guarded by this
  private boolean started;                             // guarded by this

  LeaseAcks(Leadership leadership, ScheduledExecutorService executor, LongSupplier nanoClock, Timer ackDelay) {
    this.ackDelay = ackDelay;
    this.leadership = leadership;
    this.executor = executor;
    this.nanoClock = nanoClock;
  }

  /** Runs {@code ack} after the next leadership check in {@code term} succeeds; else never. */
  void afterLeadershipCheck(long term, Runnable ack) {
    synchronized (this) {
      pending.add(new Pending(term, nanoClock.getAsLong(), ack));
      if (checking) {
        return;
      }
      checking = true;
    }
    schedule();
  }

  /** No heartbeat waits and no check runs. */
  synchronized boolean idle() {
    return !checking && pending.isEmpty();
  }

  private void schedule() {
    long waitNanos;
    synchronized (this) {
      waitNanos = started ? lastStartNanos + MIN_INTERVAL_MS * 1_000_000 - nanoClock.getAsLong() : 0;
    }
    try {
      executor.schedule(this::check, Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  private void check() {
    List<Pending> batch;
    synchronized (this) {
      batch = pending;
      pending = new ArrayList<>();
      lastStartNanos = nanoClock.getAsLong();
      started = true;
    }
    long term = leadership.leadingTerm();
    CompletableFuture<Void> confirmed = term < 0
        ? CompletableFuture.failedFuture(new IllegalStateException("not the leader"))
        : leadership.confirm().orTimeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    confirmed.whenComplete((v, error) -> {
      boolean stillLeads = error == null && leadership.leadingTerm() == term;
      int acked = 0;
      for (Pending p : batch) {
        if (stillLeads && p.term() == term) {
          p.ack().run();
          ackDelay.record(nanoClock.getAsLong() - p.receivedNanos(), TimeUnit.NANOSECONDS);
          acked++;
        }
      }
      if (acked < batch.size()) {
        LOG.info("event=acks_withheld count={} term={} reason=\"{}\"", batch.size() - acked, term,
            error != null ? error.toString() : "leadership or term changed");
      }
      synchronized (this) {
        if (pending.isEmpty()) {
          checking = false;
          return;
        }
      }
      schedule();
    });
  }
}
