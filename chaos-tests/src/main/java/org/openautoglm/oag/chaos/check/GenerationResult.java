package org.openautoglm.oag.chaos.check;

import java.util.List;

/**
 * What {@link GenerationChecker} found.
 *
 * @param tasks tasks with at least one read that answered
 * @param reads reads that answered, all tasks together
 * @param violations at most one per task (its first), in the order tasks were first invoked
 */
public record GenerationResult(int tasks, int reads, List<GenerationViolation> violations) {

  /** Violations listed one by one in {@link #summary()}; the rest are counted. */
  public static final int MAX_LISTED = 10;

  public GenerationResult {
    violations = List.copyOf(violations);
  }

  /** The ids of the tasks whose generations went back, each once. */
  public List<String> taskIds() {
    return violations.stream().map(GenerationViolation::task).toList();
  }

  /** Whether no task's generation went back. */
  public boolean valid() {
    return violations.isEmpty();
  }

  /** One line for a log or a report. */
  public String summary() {
    String listed = violations.stream().limit(MAX_LISTED).map(Object::toString)
        .reduce((a, b) -> a + "; " + b).orElse("");
    String more = violations.size() > MAX_LISTED
        ? "; +" + (violations.size() - MAX_LISTED) + " more" : "";
    return String.format("generations valid=%s tasks=%d reads=%d violations=%d [%s%s]",
        valid(), tasks, reads, violations.size(), listed, more);
  }
}
