package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.openautoglm.oag.chaos.history.Op;

/**
 * Checks that the allocation generations a task's reads report ({@link DesiredOps}: the
 * number after the state) never go back in real time: when read {@code a} returned before
 * read {@code b} was invoked, {@code b} reports a generation at least {@code a}'s. Reads that
 * overlap may report either order. Only reads that answered (OK) count; writes are ignored.
 *
 * <p>Per task, one sweep over its reads in invoke order, carrying the highest generation among
 * those already returned: O(n log n). The first violation of each task is reported, against
 * the earlier read with the highest generation.
 *
 * <p>A pure function of its argument. A malformed history throws {@link
 * IllegalArgumentException} (see {@link DesiredHistory}).
 */
public final class GenerationChecker {

  private GenerationChecker() {}

  /** Checks the reads of {@code history}. */
  public static GenerationResult check(List<Op> history) {
    int tasks = 0;
    int reads = 0;
    List<GenerationViolation> violations = new ArrayList<>();
    for (Map.Entry<String, List<DesiredOp>> e : DesiredHistory.byTask(history).entrySet()) {
      List<DesiredOp> taskReads = e.getValue().stream().filter(DesiredOp::isRead).toList();
      if (taskReads.isEmpty()) {
        continue;
      }
      tasks++;
      reads += taskReads.size();
      GenerationViolation v = firstViolation(e.getKey(), taskReads);
      if (v != null) {
        violations.add(v);
      }
    }
    return new GenerationResult(tasks, reads, violations);
  }

  /** {@code reads} in invoke order; null when their generations never go back. */
  private static GenerationViolation firstViolation(String task, List<DesiredOp> reads) {
    List<DesiredOp> byReturn = new ArrayList<>(reads);
    byReturn.sort(Comparator.comparing(DesiredOp::ret));
    DesiredOp highest = null; // the highest generation among reads returned so far
    int returned = 0;
    for (DesiredOp later : reads) {
      while (returned < byReturn.size() && byReturn.get(returned).precedes(later)) {
        DesiredOp earlier = byReturn.get(returned++);
        if (highest == null || generation(earlier) > generation(highest)) {
          highest = earlier;
        }
      }
      if (highest != null && generation(later) < generation(highest)) {
        return new GenerationViolation(task, seen(highest), seen(later));
      }
    }
    return null;
  }

  private static long generation(DesiredOp read) {
    return read.read().generation();
  }

  private static GenerationViolation.Seen seen(DesiredOp read) {
    return new GenerationViolation.Seen(
        read.process(), read.call().time(), read.ret().time(), generation(read));
  }
}
