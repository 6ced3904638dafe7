package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One worker on a fake clock that only the fake writer moves: every write "takes" a fixed
 * time, so the phases, the latencies and the schedule lag are exact.
 */
class LoadWorkerTest {
  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong();
  private final List<String> keys = new ArrayList<>();

  private BenchTarget.Writer writerTaking(long nanos) {
    return new BenchTarget.Writer() {
      @Override
      public void write(String key, String payload) {
        keys.add(key);
        clock.addAndGet(nanos);
      }

      @Override
      public void close() {}
    };
  }

  private WorkerStats.Totals totals(WorkerStats s) {
    WorkerStats.Totals t = new WorkerStats.Totals();
    s.addTo(t);
    return t;
  }

  @Test
  void aClosedLoopCountsWarmupAndMeasuredWritesByTheirSendTime() {
    WorkerStats stats = new WorkerStats();
    Phases phases = new Phases(0, 100 * MS, 300 * MS);
    new LoadWorker(2, writerTaking(10 * MS), phases, null, "p", "x", stats, clock::get, null).run();

    WorkerStats.Totals t = totals(stats);
    assertThat(t.warmupOps).isEqualTo(10);
    assertThat(t.ops).isEqualTo(20);
    assertThat(t.latency.getMinValue()).isBetween(9_990L, 10_010L);
    assertThat(t.latency.getMaxValue()).isBetween(9_990L, 10_010L);
    assertThat(t.behind.getMaxValue()).isZero();
    assertThat(keys).hasSize(30).startsWith("p-w2-0", "p-w2-1").endsWith("p-w2-29");
  }

  @Test
  void aClosedLoopWithABudgetStopsWhenTheSharedBudgetIsSpent() {
    // Two workers share 7 measured writes; warm-up writes do not count against it.
    AtomicLong budget = new AtomicLong(7);
    Phases phases = new Phases(0, 20 * MS, 1_000 * MS);
    WorkerStats first = new WorkerStats();
    WorkerStats second = new WorkerStats();
    new LoadWorker(0, writerTaking(10 * MS), phases, null, "p", "", first, clock::get, budget).run();
    clock.set(20 * MS);
    new LoadWorker(1, writerTaking(10 * MS), phases, null, "p", "", second, clock::get, budget).run();

    assertThat(totals(first).warmupOps).isEqualTo(2);
    assertThat(totals(first).ops).isEqualTo(7);
    assertThat(totals(second).ops).isZero();
    assertThat(clock.get()).isEqualTo(20 * MS);
    assertThat(keys).hasSize(9);
  }

  @Test
  void anOpenLoopThatFallsBehindCountsTheLatenessAndTheWritesItNeverSent() {
    // One worker at 100/s (every 10 ms) whose writes take 30 ms: it falls 20 ms further
    // behind with every write. Write k is intended at 10k, sent at 30k, done at 30(k+1).
    WorkerStats stats = new WorkerStats();
    Phases phases = new Phases(0, 0, 300 * MS);
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1, 100);
    new LoadWorker(0, writerTaking(30 * MS), phases, schedule, "p", "", stats, clock::get, null).run();

    WorkerStats.Totals t = totals(stats);
    assertThat(t.ops).isEqualTo(10);                      // sent at 0, 30, ..., 270 ms
    assertThat(t.unsent).isEqualTo(30 - 10);              // 30 intended before 300 ms
    assertThat(t.latency.getMinValue()).isBetween(29_900L, 30_100L);   // 30 ms for write 0
    assertThat(t.latency.getMaxValue()).isBetween(209_000L, 211_000L); // 20*9+30 for write 9
    assertThat(t.behind.getMaxValue()).isBetween(179_000L, 181_000L);  // sent 20*9 ms late
  }

  @Test
  void anOpenLoopThatKeepsUpSendsEveryWriteOfTheSchedule() {
    // Instant writes at 10/s on the real clock: the worker parks until each send time.
    // Sends at 0 and 100 ms are warm-up, 200..500 ms measured; only a stall of over 100 ms
    // at the very end could push the last one past the end.
    WorkerStats stats = new WorkerStats();
    long start = System.nanoTime();
    Phases phases = new Phases(start, start + 200 * MS, start + 600 * MS);
    OpenLoopSchedule schedule = new OpenLoopSchedule(start, 1, 10);
    BenchTarget.Writer fast = new BenchTarget.Writer() {
      @Override
      public void write(String key, String payload) {}

      @Override
      public void close() {}
    };
    new LoadWorker(0, fast, phases, schedule, "p", "", stats, System::nanoTime, null).run();

    WorkerStats.Totals t = totals(stats);
    assertThat(t.warmupOps).isEqualTo(2);
    assertThat(t.ops).isEqualTo(4);
    assertThat(t.unsent).isZero();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(500 * MS);
  }

  @Test
  void failuresAreCountedByTypeAndPhase() {
    WorkerStats stats = new WorkerStats();
    Phases phases = new Phases(0, 10 * MS, 30 * MS);
    BenchTarget.Writer failing = new BenchTarget.Writer() {
      @Override
      public void write(String key, String payload) {
        clock.addAndGet(5 * MS);
        throw new IllegalStateException("no");
      }

      @Override
      public void close() {}
    };
    new LoadWorker(0, failing, phases, null, "p", "", stats, clock::get, null).run();

    WorkerStats.Totals t = totals(stats);
    assertThat(t.warmupErrors).isEqualTo(2);
    assertThat(t.errors).containsExactlyEntriesOf(java.util.Map.of("IllegalStateException", 4L));
    assertThat(t.ops).isZero();
  }

  @Test
  void aSealedWorkerChangesNothing() {
    WorkerStats stats = new WorkerStats();
    stats.seal();
    stats.acked(true, MS, 0);
    stats.failed(true, new RuntimeException());
    stats.unsent(3);
    WorkerStats.Totals t = totals(stats);
    assertThat(t.ops + t.unsent + t.errors.size()).isZero();
  }
}
