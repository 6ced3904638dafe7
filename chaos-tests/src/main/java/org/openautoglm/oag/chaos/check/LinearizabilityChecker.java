package org.openautoglm.oag.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openautoglm.oag.chaos.check.LinearizationSearch.Verdict;
import org.openautoglm.oag.chaos.history.Op;

/**
 * Checks that the operations on tasks' desired states in a history ({@link DesiredOps}) are
 * linearizable: for each task, there is one order of its operations, consistent with real
 * time (an operation that returned before another was invoked comes first), in which each
 * returns what {@link DesiredRegister} (RUNNING, pause, resume, stop for good) would. Tasks
 * are independent registers, so each is checked alone, which keeps the search small.
 *
 * <p>Retries are grouped into logical operations first ({@link DesiredHistory}): a write took
 * effect at most once between its first invoke and the OK that settled it; one never settled
 * may have taken effect at any time after its first invoke, or not at all.
 *
 * <p>The search ({@link LinearizationSearch}) is exponential in the worst case, so it runs
 * under a budget for the whole check. Tasks are searched smallest first, so that one
 * pathological task costs the others little; a task whose search is cut short, or that was
 * not reached, is reported as timed out, which makes the result not valid: nothing was
 * proven about it.
 *
 * <p>A pure function of its arguments but for the clock the budget is measured on. A
 * malformed history throws {@link IllegalArgumentException} (see {@link DesiredHistory}).
 */
public final class LinearizabilityChecker {

  /** The budget of {@link #check(List)}. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);

  private static final Duration LONGEST_BUDGET = Duration.ofDays(365);

  private LinearizabilityChecker() {}

  /** Checks {@code history} within {@link #DEFAULT_BUDGET}. */
  public static LinearizabilityResult check(List<Op> history) {
    return check(history, DEFAULT_BUDGET);
  }

  /** Checks {@code history}, searching for at most {@code budget} in all. */
  public static LinearizabilityResult check(List<Op> history, Duration budget) {
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative()) {
      throw new IllegalArgumentException("budget must not be negative: " + budget);
    }
    long start = System.nanoTime();
    Map<String, List<DesiredOp>> byTask = DesiredHistory.byTask(history);
    long deadline = start + min(budget, LONGEST_BUDGET).toNanos();

    List<String> smallestFirst = new ArrayList<>(byTask.keySet());
    smallestFirst.sort(Comparator.comparingInt(task -> byTask.get(task).size()));
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    Map<String, String> explanations = new LinkedHashMap<>();
    for (String task : smallestFirst) {
      LinearizationSearch search = new LinearizationSearch(byTask.get(task));
      Verdict verdict = search.run(deadline);
      verdicts.put(task, verdict);
      if (verdict == Verdict.NOT_LINEARIZABLE) {
        explanations.put(task, search.explanation());
      }
    }

    List<String> nonLinearizable = new ArrayList<>();
    List<String> timedOut = new ArrayList<>();
    Map<String, String> explained = new LinkedHashMap<>();
    int ops = 0;
    for (Map.Entry<String, List<DesiredOp>> e : byTask.entrySet()) { // back in history order
      ops += e.getValue().size();
      Verdict verdict = verdicts.get(e.getKey());
      if (verdict == Verdict.NOT_LINEARIZABLE) {
        nonLinearizable.add(e.getKey());
        explained.put(e.getKey(), explanations.get(e.getKey()));
      } else if (verdict == Verdict.TIMEOUT) {
        timedOut.add(e.getKey());
      }
    }
    return new LinearizabilityResult(
        byTask.size(), ops, nonLinearizable, timedOut, explained,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
