package org.openautoglm.oag.bench;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How fast one run's tasks were submitted and placed, in the replicated time the leader
 * stamps into every log entry (an event's {@code time_ms}), so the client's clock and its
 * delays do not count. Placement is committed placements per second: the tasks scheduled,
 * over the time from the first {@code task.submitted} to the last {@code task.scheduled} of
 * the run's tasks (the first event of each kind per task). Where every task was submitted
 * before any could be placed (no node yet), {@link #drainPerSecond()} is the placer's own
 * rate: from the first {@code task.scheduled} to the last. Immutable.
 *
 * @param tasks the run's tasks
 * @param submitted how many of them have a {@code task.submitted} event
 * @param placed how many of them have a {@code task.scheduled} event
 * @param firstSubmittedMs replicated time of the first {@code task.submitted}; -1 when none
 * @param lastSubmittedMs replicated time of the last {@code task.submitted}; -1 when none
 * @param firstScheduledMs replicated time of the first {@code task.scheduled}; -1 when none
 * @param lastScheduledMs replicated time of the last {@code task.scheduled}; -1 when none
 * @param placementEntries how many log entries (PlaceTasks commands) placed them: {@code
 *     placed / placementEntries} is how many one pass of the placement loop placed on average
 */
public record PlacementReport(int tasks, int submitted, int placed, long firstSubmittedMs,
    long lastSubmittedMs, long firstScheduledMs, long lastScheduledMs, int placementEntries) {

  /**
   * The report for the tasks {@code ids}, from the first {@code task.submitted} and {@code
   * task.scheduled} event of each task by id (tasks of other runs may be among them): their
   * times, and the log index of the scheduled one.
   */
  static PlacementReport of(Collection<String> ids, Map<String, Long> submittedAt,
      Map<String, Long> scheduledAt, Map<String, Long> scheduledIndex) {
    Set<Long> entries = new HashSet<>();
    int submitted = 0;
    int placed = 0;
    long firstSubmitted = Long.MAX_VALUE;
    long lastSubmitted = -1;
    long firstScheduled = Long.MAX_VALUE;
    long lastScheduled = -1;
    for (String id : ids) {
      Long s = submittedAt.get(id);
      if (s != null) {
        submitted++;
        firstSubmitted = Math.min(firstSubmitted, s);
        lastSubmitted = Math.max(lastSubmitted, s);
      }
      Long p = scheduledAt.get(id);
      if (p != null) {
        placed++;
        firstScheduled = Math.min(firstScheduled, p);
        lastScheduled = Math.max(lastScheduled, p);
        entries.add(scheduledIndex.getOrDefault(id, -1L));
      }
    }
    return new PlacementReport(ids.size(), submitted, placed,
        submitted == 0 ? -1 : firstSubmitted, lastSubmitted, placed == 0 ? -1 : firstScheduled,
        lastScheduled, entries.size());
  }

  /** Whether every task was placed. */
  public boolean allPlaced() {
    return placed == tasks;
  }

  /** From the first submitted to the last scheduled; 0 when nothing was placed. */
  public double placementSeconds() {
    return placed == 0 || firstSubmittedMs < 0 ? 0 : (lastScheduledMs - firstSubmittedMs) / 1000.0;
  }

  /** Tasks placed per second of {@link #placementSeconds()}; 0 when that is 0. */
  public double placementsPerSecond() {
    return rate(placed, placementSeconds());
  }

  /** From the first scheduled to the last; 0 when nothing was placed. */
  public double drainSeconds() {
    return placed == 0 ? 0 : (lastScheduledMs - firstScheduledMs) / 1000.0;
  }

  /**
   * Tasks placed per second of {@link #drainSeconds()}: the placer's rate when the queue was
   * full before the first placement; 0 when that is 0.
   */
  public double drainPerSecond() {
    return rate(placed, drainSeconds());
  }

  /** From the first submitted to the last submitted; 0 when none was. */
  public double submitSeconds() {
    return submitted == 0 ? 0 : (lastSubmittedMs - firstSubmittedMs) / 1000.0;
  }

  /** Tasks submitted per second of {@link #submitSeconds()}; 0 when that is 0. */
  public double submittedPerSecond() {
    return rate(submitted, submitSeconds());
  }

  private static double rate(int n, double seconds) {
    return seconds <= 0 ? 0 : Math.round(n / seconds * 10.0) / 10.0;
  }

  /**
   * JSON-ready fields, added to {@code oag bench submit --start}'s (stable names): tasks,
   * submitted, placed, placementSeconds, placementsPerSecond, submitSeconds,
   * submittedPerSecond, drainSeconds, drainPerSecond, firstSubmittedMs, firstScheduledMs,
   * lastScheduledMs, placementEntries.
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("tasks", tasks);
    f.put("submitted", submitted);
    f.put("placed", placed);
    f.put("placementSeconds", placementSeconds());
    f.put("placementsPerSecond", placementsPerSecond());
    f.put("submitSeconds", submitSeconds());
    f.put("submittedPerSecond", submittedPerSecond());
    f.put("drainSeconds", drainSeconds());
    f.put("drainPerSecond", drainPerSecond());
    f.put("firstSubmittedMs", firstSubmittedMs);
    f.put("firstScheduledMs", firstScheduledMs);
    f.put("lastScheduledMs", lastScheduledMs);
    f.put("placementEntries", placementEntries);
    return f;
  }
}
