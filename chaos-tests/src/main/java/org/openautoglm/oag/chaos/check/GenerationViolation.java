package org.openautoglm.oag.chaos.check;

import java.util.Locale;

/**
 * Two reads of one task whose generations went back: {@code earlier} returned before {@code
 * later} was invoked, yet {@code later} reports a lower generation.
 *
 * @param task the task id
 * @param earlier the read that returned first
 * @param later the read invoked after it
 */
public record GenerationViolation(String task, Seen earlier, Seen later) {

  /**
   * One read.
   *
   * @param process the client process that read
   * @param invoked its invoke time, nanoseconds since the history's start
   * @param returned its OK's time
   * @param generation the allocation generation it reported
   */
  public record Seen(int process, long invoked, long returned, long generation) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "p%d gen %d [%.3fms, %.3fms]",
          process, generation, invoked / 1e6, returned / 1e6);
    }
  }

  /** E.g. {@code "t7: p0 gen 3 [1.000ms, 2.000ms] then p1 gen 2 [3.000ms, 4.000ms]"}. */
  @Override
  public String toString() {
    return task + ": " + earlier + " then " + later;
  }
}
