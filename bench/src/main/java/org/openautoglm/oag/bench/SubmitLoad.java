package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write load generator: {@link LoadConfig#clients()} workers, each on its own thread
 * with its own connection, write unique keys with a fixed random payload, first for the
 * warm-up (counted, not recorded), then for the measured phase (latencies into
 * HdrHistogram, per worker, merged at the end).
 *
 * <p>Bounded: no write starts after warm-up + duration, nor, with {@link
 * LoadConfig#maxWrites()}, once that many were sent in the measured phase (which then ends
 * when the last of them is answered); calls still in flight then get {@link
 * LoadConfig#drainTimeout()} to finish, after which their workers are abandoned
 * (interrupted, their connections closed, counted in the report). Leadership is sampled on
 * the calling thread at the start of the measured phase, every {@link
 * LoadConfig#sampleInterval()}, and at its end.
 *
 * <p>Use: {@code SubmitReport r = new SubmitLoad(target, config).run();}. One run per
 * instance; {@link #run()} blocks the caller for the whole run.
 */
public final class SubmitLoad {
  private static final Logger LOG = LoggerFactory.getLogger(SubmitLoad.class);
  /** Worker threads start parked; the clock starts once they all exist. */
  static final Duration START_LEAD = Duration.ofMillis(200);
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final BenchTarget target;
  private final LoadConfig config;
  private final LongSupplier nanoTime = System::nanoTime;

  public SubmitLoad(BenchTarget target, LoadConfig config) {
    this.target = target;
    this.config = config;
  }

  /** Runs warm-up and measured phase, drains, and reports. Throws when no member answers. */
  public SubmitReport run() {
    target.health(); // fail fast, before any thread exists, when nobody answers
    List<BenchTarget.Writer> writers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<WorkerStats> stats = new ArrayList<>();
    try {
      for (int k = 0; k < config.clients(); k++) {
        writers.add(target.openWriter("w" + k));
      }
      Phases phases = Phases.of(nanoTime.getAsLong() + START_LEAD.toNanos(),
          config.warmup().toNanos(), config.duration().toNanos());
      OpenLoopSchedule schedule = config.openLoop()
          ? new OpenLoopSchedule(phases.start(), config.clients(), config.rate()) : null;
      Random seeds = new Random();
      AtomicLong budget = config.maxWrites() > 0 ? new AtomicLong(config.maxWrites()) : null;
      CountDownLatch finished = new CountDownLatch(config.clients());
      AtomicLong lastFinished = new AtomicLong(Long.MIN_VALUE);
      for (int k = 0; k < config.clients(); k++) {
        WorkerStats s = new WorkerStats();
        stats.add(s);
        String payload = payload(config.payloadBytes(), new SplittableRandom(seeds.nextLong()));
        threads.add(start(new LoadWorker(k, writers.get(k), phases, schedule,
            config.namePrefix(), payload, s, nanoTime, budget), k, finished, lastFinished));
      }
      LOG.info("event=load_start mode={} clients={} rate={} warmup_ms={} duration_ms={} "
          + "max_writes={} prefix={}", config.openLoop() ? "open" : "closed", config.clients(),
          config.rate(), config.warmup().toMillis(), config.duration().toMillis(),
          config.maxWrites(), config.namePrefix());
      // Only a spent budget ends the measured phase early; without one a worker may stop just
      // before the end (an open loop's last send), and the phase still lasts its duration.
      CountDownLatch spent = budget != null ? finished : null;
      SubmitReport.Leadership leadership = watchLeadership(phases, spent);
      int abandoned = drain(threads, phases.end() + config.drainTimeout().toNanos());
      long end = spent != null && spent.getCount() == 0
          ? Math.min(lastFinished.get(), phases.end()) : phases.end();
      WorkerStats.Totals totals = new WorkerStats.Totals();
      for (WorkerStats s : stats) {
        s.seal();
        s.addTo(totals);
      }
      SubmitReport report = SubmitReport.assemble(config, totals, abandoned, leadership,
          Math.max(0, end - phases.measureStart()) / 1e9);
      LOG.info("event=load_done ops={} errors={} throughput={} abandoned={}",
          report.measured().ops(), report.measured().errors(), report.measured().throughput(),
          abandoned);
      return report;
    } finally {
      stats.forEach(WorkerStats::seal);
      threads.forEach(Thread::interrupt);
      writers.forEach(BenchTarget.Writer::close);
    }
  }

  /** Runs {@code worker} on a daemon thread that marks when it is done. */
  private Thread start(LoadWorker worker, int k, CountDownLatch finished, AtomicLong lastFinished) {
    Thread t = new Thread(() -> {
      try {
        worker.run();
      } finally {
        lastFinished.accumulateAndGet(nanoTime.getAsLong(), Math::max);
        finished.countDown();
      }
    }, "bench-worker-" + k);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Samples leadership from the measured phase's start to its end, or until {@code spent}
   * opens (every worker stopped because the budget was spent; null: no budget) if that is
   * sooner, on this thread.
   */
  private SubmitReport.Leadership watchLeadership(Phases phases, CountDownLatch spent) {
    LeaderWatch watch = new LeaderWatch();
    if (parkUntil(phases.measureStart())) {
      watch.sample(target);
      long interval = config.sampleInterval().toNanos();
      long next = nanoTime.getAsLong() + interval;
      while (interval > 0 && next < phases.end() && !awaitUntil(next, spent)) {
        if (Thread.currentThread().isInterrupted()) {
          return watch.result();
        }
        watch.sample(target);
        next = Math.max(next + interval, nanoTime.getAsLong());
      }
      awaitUntil(phases.end(), spent);
      if (!Thread.currentThread().isInterrupted()) {
        watch.sample(target);
      }
    }
    return watch.result();
  }

  /**
   * Waits until {@code deadline} or until {@code latch} (null: never) opens; whether it
   * opened. An interrupt ends the wait early with the thread's interrupt flag set.
   */
  private boolean awaitUntil(long deadline, CountDownLatch latch) {
    if (latch == null) {
      parkUntil(deadline);
      return false;
    }
    try {
      return latch.await(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits for the workers until {@code deadline}; returns how many are still running. */
  private int drain(List<Thread> threads, long deadline) {
    for (Thread t : threads) {
      long left = deadline - nanoTime.getAsLong();
      try {
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int alive = (int) threads.stream().filter(Thread::isAlive).count();
    if (alive > 0) {
      LOG.warn("event=load_abandoned workers={} drain_ms={}", alive,
          config.drainTimeout().toMillis());
    }
    return alive;
  }

  private boolean parkUntil(long deadline) {
    long left;
    while ((left = deadline - nanoTime.getAsLong()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return true;
  }

  /** {@code bytes} random letters and digits (so as many bytes as characters in UTF-8). */
  static String payload(int bytes, SplittableRandom random) {
    char[] c = new char[bytes];
    for (int i = 0; i < bytes; i++) {
      c[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
    }
    return new String(c);
  }
}
