package org.openautoglm.oag.agent.ready;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openautoglm.oag.agent.supervisor.AllocationDir;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether each allocation is ready to serve, running each running allocation's {@link
 * ReadinessCheck} every period.
 *
 * <p>Contract: the supervision loop calls {@link #observe} once per step for each allocation
 * with what the step found, and reports what it returns. Ready means RUNNING, not being
 * stopped, and, when the allocation has a check, the last check of the current run passed; an
 * allocation without a check is ready exactly while RUNNING. A run begins when an allocation
 * is seen RUNNING with a pid or check other than at the last call, and ends the moment it is
 * seen otherwise (exit, backoff, pause, stop): ready goes false at once, the run's checks are
 * cancelled (a command in flight is killed) and a result that arrives later is dropped, so a
 * restarted or resumed process must pass again. Each change of what {@code observe} returns
 * is logged once ({@code event=allocation_ready} / {@code event=allocation_not_ready}), never
 * each check.
 *
 * <p>Threading: {@link #observe} and {@link #forget} from one thread (the supervision loop);
 * they never block. Checks run on {@link #THREADS} daemon threads of the prober's own ({@code
 * oag-agent-ready-NODE}). A run's checks never overlap: the first starts at once, each next
 * one a period after the start of the previous (at once when that took longer). A check holds
 * a thread for at most its timeout (a command's kill included), so a slow allocation delays
 * the others' checks only while every thread is taken by one as slow. When a run's outcome
 * flips, {@code changed} is called on the pool's thread, so the supervision loop steps soon
 * and the change reaches the leader in the heartbeat that follows.
 */
public final class ReadinessProber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReadinessProber.class);
  /** Enough that a few hanging commands do not hold up every other allocation's checks. */
  static final int THREADS = 4;

  private final String nodeId;
  private final Runnable changed;
  private final ScheduledThreadPoolExecutor pool;
  // Supervision-thread state.
  private final Map<String, Watch> watches = new HashMap<>();

  /** What the supervision loop knows of one allocation's readiness. */
  private static final class Watch {
    Run run;          // the current run's checks; null while not running or without a check
    boolean ready;    // as last returned

    void endRun() {
      if (run != null) {
        run.cancel();
        run = null;
      }
    }
  }

  /** @param changed called (on a pool thread) when a run's checks start or stop passing */
  public ReadinessProber(String nodeId, Runnable changed) {
    this.nodeId = nodeId;
    this.changed = Objects.requireNonNull(changed, "changed");
    AtomicInteger n = new AtomicInteger();
    this.pool = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "oag-agent-ready-" + nodeId + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
  }

  /**
   * Takes in what a step found about the allocation in {@code dir} and returns whether it is
   * ready now; starts or ends its run of checks as needed.
   *
   * @param stopping a stop was asked for: the process is going, whatever its state says
   * @param check the allocation's check, or {@code null} when it has none
   */
  public boolean observe(AllocationDir dir, AllocationSupervisor.Status status, boolean stopping,
      ReadinessCheck check) {
    String id = dir.allocation().allocationId();
    Watch w = watches.computeIfAbsent(id, k -> new Watch());
    boolean running = status.state() == AllocationState.RUNNING && !stopping;
    boolean ready;
    String reason;
    if (!running || check == null) {
      w.endRun();
      ready = running;
      reason = stopping ? "stopping" : "state " + status.state();
    } else {
      if (w.run == null || w.run.pid != status.pid() || !w.run.check.equals(check)) {
        w.endRun();
        w.run = new Run(dir, status.pid(), check);
        w.run.schedule(0);
      }
      CheckResult last = w.run.last;
      ready = last != null && last.passed();
      reason = last == null ? "not checked yet" : last.reason();
    }
    if (ready != w.ready) {
      w.ready = ready;
      if (ready) {
        log.info("event=allocation_ready node={} alloc={} pid={} check=\"{}\"", nodeId, id,
            status.pid(), check == null ? "none" : describe(check));
      } else {
        log.info("event=allocation_not_ready node={} alloc={} pid={} reason=\"{}\"", nodeId, id,
            status.pid(), reason);
      }
    }
    return ready;
  }

  /** Drops a forgotten allocation; its checks stop. Supervision thread. */
  public void forget(String allocationId) {
    Watch w = watches.remove(allocationId);
    if (w != null) {
      w.endRun();
    }
  }

  /** Stops every check (commands in flight are killed) and the pool's threads. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(ReadinessCheck check) {
    return check.isTcp() ? "tcp 127.0.0.1:" + check.tcpPort() : "command " + check.command().get(0);
  }

  /** One run's checks, each scheduling the next until the run is cancelled. */
  private final class Run implements Runnable {
    final AllocationDir dir;
    final long pid;
    final ReadinessCheck check;
    volatile CheckResult last;    // null until the first check ends
    private volatile boolean cancelled;
    private volatile Future<?> next;

    Run(AllocationDir dir, long pid, ReadinessCheck check) {
      this.dir = dir;
      this.pid = pid;
      this.check = check;
    }

    @Override
    public void run() {
      if (cancelled) {
        return;
      }
      long started = System.nanoTime();
      CheckResult result;
      try {
        result = Checker.run(check, dir);
      } catch (InterruptedException e) {
        return;   // cancelled, or the prober is closing
      } catch (RuntimeException e) {
        result = CheckResult.failed("check failed: " + e);
      }
      if (cancelled) {
        return;
      }
      boolean flipped = result.passed() != (last != null && last.passed());
      last = result;
      if (flipped) {
        changed.run();
      }
      schedule(Math.max(0, check.period().toNanos() - (System.nanoTime() - started)));
    }

    void schedule(long delayNanos) {
      try {
        next = pool.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // Closing: no more checks.
      }
    }

    /** Later results are dropped; a check in flight is interrupted (a command is killed). */
    void cancel() {
      cancelled = true;
      Future<?> f = next;
      if (f != null) {
        f.cancel(true);
      }
    }
  }
}
