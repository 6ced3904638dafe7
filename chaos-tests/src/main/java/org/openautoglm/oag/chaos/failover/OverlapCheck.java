package org.openautoglm.oag.chaos.failover;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.openautoglm.oag.chaos.sink.Life;

/**
 * The fencing promise, checked on the tick sink's record: two generations of one {@code
 * exclusive} task were never alive at the same time. A generation's life runs from its first
 * to its last tick (on the sink's clock); the lives of two generations of the same task
 * overlap unless one's last tick came before the other's first. Pure.
 */
public final class OverlapCheck {
  private OverlapCheck() {}

  /**
   * Two lives of one task that overlapped.
   *
   * @param overlapNanos how long both were alive (positive)
   */
  public record Overlap(String taskId, long earlierGeneration, long laterGeneration, long overlapNanos) {
    @Override
    public String toString() {
      return taskId + " generations " + earlierGeneration + " and " + laterGeneration + " both alive for "
          + overlapNanos / 1_000_000 + " ms";
    }
  }

  /** Every overlapping pair of generations among the lives of the {@code exclusive} tasks. */
  public static List<Overlap> overlaps(Collection<Life> lives, Set<String> exclusive) {
    List<Overlap> out = new ArrayList<>();
    byTask(lives, exclusive).forEach((task, ofTask) -> {
      for (int i = 0; i < ofTask.size(); i++) {
        for (int j = i + 1; j < ofTask.size(); j++) {
          Life a = ofTask.get(i);
          Life b = ofTask.get(j);
          long both = Math.min(a.lastTick(), b.lastTick()) - Math.max(a.firstTick(), b.firstTick());
          if (both >= 0) {
            out.add(new Overlap(task, a.generation(), b.generation(), Math.max(1, both)));
          }
        }
      }
    });
    return out;
  }

  /**
   * The shortest break between one generation's last tick and the next generation's first
   * (break-before-make margin) over the {@code exclusive} tasks, in nanos; empty when no task
   * had two generations. Negative when two overlapped.
   */
  public static OptionalLong shortestBreak(Collection<Life> lives, Set<String> exclusive) {
    return byTask(lives, exclusive).values().stream()
        .flatMapToLong(ofTask -> java.util.stream.IntStream.range(1, ofTask.size())
            .mapToLong(i -> ofTask.get(i).firstTick() - ofTask.get(i - 1).lastTick()))
        .min();
  }

  /** How many pairs of successive generations of the {@code exclusive} tasks there were. */
  public static int handovers(Collection<Life> lives, Set<String> exclusive) {
    return byTask(lives, exclusive).values().stream().mapToInt(l -> Math.max(0, l.size() - 1)).sum();
  }

  private static Map<String, List<Life>> byTask(Collection<Life> lives, Set<String> exclusive) {
    Map<String, List<Life>> byTask = new TreeMap<>();
    for (Life l : lives) {
      if (exclusive.contains(l.taskId())) {
        byTask.computeIfAbsent(l.taskId(), k -> new ArrayList<>()).add(l);
      }
    }
    byTask.values().forEach(l -> l.sort(Comparator.comparingLong(Life::generation)));
    return byTask;
  }
}
