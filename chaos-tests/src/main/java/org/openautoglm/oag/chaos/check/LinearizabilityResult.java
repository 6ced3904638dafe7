package org.openautoglm.oag.chaos.check;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LinearizabilityChecker} found. Task ids are listed in the order the history
 * first invoked an operation on them.
 *
 * @param tasks tasks with at least one logical operation (a read that answered, a write that
 *     was not definitely refused by a FAIL)
 * @param ops logical operations checked, all tasks together
 * @param nonLinearizable tasks whose operations no order explains
 * @param timedOut tasks whose search the budget cut short or never reached: unproven
 * @param explanations for each non-linearizable task, in the same order: the longest
 *     linearization the search found and the operations none of which could follow it
 * @param elapsed how long the check took
 */
public record LinearizabilityResult(
    int tasks,
    int ops,
    List<String> nonLinearizable,
    List<String> timedOut,
    Map<String, String> explanations,
    Duration elapsed) {

  /** Task ids listed one by one in {@link #summary()}; the rest are counted. */
  public static final int MAX_LISTED = 10;

  public LinearizabilityResult {
    nonLinearizable = List.copyOf(nonLinearizable);
    timedOut = List.copyOf(timedOut);
    explanations = Collections.unmodifiableMap(new LinkedHashMap<>(explanations));
  }

  /** Whether every task was proven linearizable: none is not, none timed out. */
  public boolean valid() {
    return nonLinearizable.isEmpty() && timedOut.isEmpty();
  }

  /** One line for a log or a report, explaining the first non-linearizable task. */
  public String summary() {
    String first = nonLinearizable.isEmpty() ? ""
        : " first: " + nonLinearizable.get(0) + ": " + explanations.get(nonLinearizable.get(0));
    return String.format(
        "linearizability valid=%s tasks=%d ops=%d elapsed=%dms nonLinearizable=%s timedOut=%s%s",
        valid(), tasks, ops, elapsed.toMillis(), listed(nonLinearizable), listed(timedOut),
        first);
  }

  private static String listed(List<String> ids) {
    if (ids.size() <= MAX_LISTED) {
      return ids.toString();
    }
    return "[" + String.join(", ", ids.subList(0, MAX_LISTED)) + ", +"
        + (ids.size() - MAX_LISTED) + " more]";
  }
}
