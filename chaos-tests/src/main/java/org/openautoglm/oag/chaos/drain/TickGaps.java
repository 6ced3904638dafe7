package org.openautoglm.oag.chaos.drain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openautoglm.oag.chaos.sink.Tick;
import org.openautoglm.oag.chaos.sink.TickSink;

/**
 * Every tick of a few tasks from the moment it was started, kept to find the holes in each
 * task's ticking across a migration: the largest gap between consecutive ticks of any
 * generation of one task (a make-before-break handover leaves none), and for comparison the
 * largest gap between consecutive ticks of one generation (how late a run that nothing
 * disturbed ticked on this machine at that time).
 *
 * <p>Bounded: at most {@link #MAX_TICKS} ticks are kept (a drain of ten tasks for a minute
 * makes about 24,000); past that nothing more is kept and {@link #overflowed()} says so.
 * Thread-safe: ticks arrive on the sink's threads, in clock order.
 */
public final class TickGaps implements AutoCloseable {
  /** A reporter ticks every 50 ms. */
  public static final long PERIOD_NANOS = 50_000_000L;
  static final int MAX_TICKS = 500_000;

  private final Set<String> tasks;
  private final Map<String, List<Tick>> ticks = new TreeMap<>();
  private final TickSink.Listening listening;
  private int kept;
  private boolean overflowed;

  private TickGaps(TickSink sink, Collection<String> tasks) {
    this.tasks = Set.copyOf(tasks);
    this.tasks.forEach(t -> ticks.put(t, new ArrayList<>()));
    this.listening = sink.onTick(this::record);
  }

  /** Starts keeping the ticks of {@code tasks} that {@code sink} stamps from now on. */
  public static TickGaps start(TickSink sink, Collection<String> tasks) {
    return new TickGaps(sink, tasks);
  }

  /**
   * The largest hole in one task's ticking: {@code nanos} from the tick {@code fromNanos}
   * (of generation {@code fromGeneration}) to the next tick of any generation {@code
   * toGeneration}; {@code sameGenerationNanos} is the largest gap between consecutive ticks of
   * one generation in the same window; {@code ticks} how many ticks the window held.
   */
  public record Gap(String taskId, long nanos, long fromNanos, long fromGeneration, long toGeneration,
      long sameGenerationNanos, int ticks) {
    /** Ticks that should have come in the hole and did not: {@code gap / 50 ms - 1}, rounded down, at least 0. */
    public long missedTicks() {
      return Math.max(0, nanos / PERIOD_NANOS - 1);
    }

    public long millis() {
      return nanos / 1_000_000;
    }

    @Override
    public String toString() {
      return taskId + " largest gap " + millis() + " ms (gen " + fromGeneration + " -> gen " + toGeneration
          + ", missed ticks " + missedTicks() + "), largest same-generation gap "
          + sameGenerationNanos / 1_000_000 + " ms, " + ticks + " ticks";
    }
  }

  /** Stops keeping ticks; what was kept stays readable. Idempotent. */
  @Override
  public void close() {
    listening.close();
  }

  /** Whether ticks were dropped for want of room (the gaps are then unknown). */
  public synchronized boolean overflowed() {
    return overflowed;
  }

  /**
   * The largest gap of {@code taskId}'s ticks over the pairs of consecutive ticks whose first
   * lies in {@code [fromNanos, toNanos)}, so the pair that spans {@code toNanos} counts.
   *
   * @throws IllegalArgumentException for a task this does not watch
   */
  public synchronized Gap largest(String taskId, long fromNanos, long toNanos) {
    List<Tick> of = ticks.get(taskId);
    if (of == null) {
      throw new IllegalArgumentException("not watched: " + taskId);
    }
    return largest(taskId, of, fromNanos, toNanos);
  }

  /** {@link #largest(String, long, long)} over {@code ticks} of that task, in clock order. Pure. */
  static Gap largest(String taskId, List<Tick> ticks, long fromNanos, long toNanos) {
    Gap widest = new Gap(taskId, 0, fromNanos, -1, -1, 0, 0);
    Map<Long, Long> lastOfGeneration = new TreeMap<>();
    long sameGeneration = 0;
    int count = 0;
    for (int i = 0; i < ticks.size(); i++) {
      Tick t = ticks.get(i);
      if (t.time() >= toNanos) {
        break;
      }
      if (t.time() < fromNanos) {
        continue;
      }
      count++;
      Long previous = lastOfGeneration.put(t.generation(), t.time());
      if (previous != null) {
        sameGeneration = Math.max(sameGeneration, t.time() - previous);
      }
      if (i + 1 < ticks.size()) {
        Tick next = ticks.get(i + 1);
        long gap = next.time() - t.time();
        if (gap > widest.nanos()) {
          widest = new Gap(taskId, gap, t.time(), t.generation(), next.generation(), 0, 0);
        }
      }
    }
    return new Gap(taskId, widest.nanos(), widest.fromNanos(), widest.fromGeneration(), widest.toGeneration(),
        sameGeneration, count);
  }

  private synchronized void record(Tick tick) {
    List<Tick> of = ticks.get(tick.taskId());
    if (of == null || overflowed) {
      return;
    }
    if (kept == MAX_TICKS) {
      overflowed = true;
      return;
    }
    of.add(tick);
    kept++;
  }
}
