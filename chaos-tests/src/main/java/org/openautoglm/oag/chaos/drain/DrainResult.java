package org.openautoglm.oag.chaos.drain;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.DrainReport;

/**
 * What one drain round measured. Times in ms are from the drain call, on the harness's
 * monotonic clock (the sink's) unless named otherwise.
 *
 * @param completeMs when the harness first read the drain as ended ({@code draining} false
 *     and a new {@code last} report)
 * @param report the drain's report as the leader wrote it (its times are the leader's wall clock)
 * @param faultMs when the fault during the drain was injected; -1 without one
 * @param migratedBeforeFault the drain's {@code migrated} count read just before that fault
 * @param drainedEventAfterFaultMs the {@code node.drained} event's replicated time less the
 *     fault's wall-clock time (positive: the drain ended after the fault); 0 without a fault
 * @param moves one per task that ran on the drained node
 * @param gaps the largest tick gap of each readiness-gated task, from the drain call to {@code completeMs}
 * @param oldAliveAtComplete old allocations whose process group was still alive just after
 *     the drain was read as ended
 * @param allRunningElsewhereMs when every moved task was first read RUNNING elsewhere
 * @param victimTasksAfter the drained node's {@code tasks} (live allocations) in ListNodes after the drain
 * @param remainingAfter drain-status {@code remaining} items after the drain
 * @param events the migration events of the round, per task, in order
 * @param longestWhileDraining the drain status read unchanged for longest while the drain went
 *     on with something live on the node (what it was held up by); empty when none was read
 */
public record DrainResult(String victim, long completeMs, DrainReport report, String fault, long faultMs,
    int migratedBeforeFault, long drainedEventAfterFaultMs, List<Move> moves, List<TickGaps.Gap> gaps,
    boolean gapsOverflowed, List<String> oldAliveAtComplete, long allRunningElsewhereMs, int victimTasksAfter,
    int remainingAfter, Map<String, List<String>> events, String longestWhileDraining) {

  /**
   * One task moved off the drained node.
   *
   * @param gated an available task with a readiness check (moved make-before-break)
   * @param newFirstTickMs the new generation's first tick
   * @param oldLastTickMs the old generation's last tick
   * @param handedOver a {@code task.handover} event came for it (the leader saw the new
   *     instance ready and told the old one to stop)
   * @param readyLogged the new node's agent's log line saying the new instance passed its
   *     readiness check; empty when it logged none
   */
  public record Move(String taskId, boolean exclusive, boolean gated, long oldGeneration, long newGeneration,
      String newNode, String newAllocationId, long newFirstTickMs, long oldLastTickMs, boolean handedOver,
      String readyLogged) {
    /** From the old run's last tick to the new run's first: negative when both ran at once. */
    public long breakMs() {
      return newFirstTickMs - oldLastTickMs;
    }

    @Override
    public String toString() {
      return taskId + (exclusive ? " exclusive" : gated ? " available+readiness" : " available") + " gen "
          + oldGeneration + " -> " + newGeneration + " (" + newAllocationId + " on " + newNode + "): new first tick "
          + newFirstTickMs + " ms, old last tick " + oldLastTickMs + " ms (break " + breakMs() + " ms)"
          + (gated ? (handedOver ? ", handed over" : ", NOT handed over") + (readyLogged.isEmpty()
              ? ", its agent logged no readiness" : ", its agent logged it ready") : "");
    }
  }

  /** The readiness-gated moves for which no {@code task.handover} came. */
  public List<Move> notHandedOver() {
    return moves.stream().filter(m -> m.gated() && !m.handedOver()).toList();
  }

  /** The moves whose old generation ticked at or after the drain was read as ended. */
  public List<Move> oldTickedAfterComplete() {
    return moves.stream().filter(m -> m.oldLastTickMs() >= completeMs).toList();
  }

  /** The latest first tick of a new generation among the moves that {@code which} selects. */
  public OptionalLong runningElsewhereMs(Predicate<Move> which) {
    return moves.stream().filter(which).mapToLong(Move::newFirstTickMs).max();
  }

  /** The readiness-gated tasks' largest gap, if any was measured. */
  public TickGaps.Gap widestGap() {
    return gaps.stream().max((a, b) -> Long.compare(a.nanos(), b.nanos())).orElse(null);
  }

  /**
   * The largest gap between consecutive ticks of one run among the readiness-gated tasks, in
   * nanos: how long a run that the drain did not disturb went without ticking at that time.
   */
  public long jitterNanos() {
    return gaps.stream().mapToLong(TickGaps.Gap::sameGenerationNanos).max().orElse(0);
  }

  /** Leader-side duration of the drain (its report's wall-clock times). */
  public long reportedMs() {
    return report.getEndedAtMs() - report.getStartedAtMs();
  }

  /** One line of figures for the {@code chaos:} log. */
  public String summary() {
    long exclusive = moves.stream().filter(Move::exclusive).count();
    long gated = moves.stream().filter(Move::gated).count();
    TickGaps.Gap widest = widestGap();
    long jitter = jitterNanos() / 1_000_000;
    String exclusiveBreak = moves.stream().filter(Move::exclusive).mapToLong(Move::breakMs).max().stream()
        .mapToObj(Long::toString).collect(Collectors.joining());
    return "drain of " + victim + " (" + moves.size() + " tasks: " + exclusive + " exclusive, " + gated
        + " available with a readiness check)" + (fault.isEmpty() ? "" : " with " + fault + " at " + faultMs
        + " ms (" + migratedBeforeFault + " migrations begun)") + ": " + report.getOutcome() + " in " + completeMs
        + " ms (leader's report " + reportedMs() + " ms, " + report.getMigrated() + " migrations); exclusive "
        + "running elsewhere within " + show(runningElsewhereMs(Move::exclusive)) + " ms (longest break "
        + exclusiveBreak + " ms), readiness-gated within " + show(runningElsewhereMs(Move::gated))
        + " ms; readiness-gated largest tick gap " + (widest == null ? "-" : widest.millis() + " ms ("
        + widest.taskId() + ", missed ticks " + widest.missedTicks() + ")") + ", largest same-generation gap "
        + jitter + " ms; all RUNNING elsewhere at " + allRunningElsewhereMs + " ms";
  }

  private static String show(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
  }
}
