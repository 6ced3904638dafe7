package org.openautoglm.oag.chaos.check;

import java.util.List;

/**
 * What {@link SubmitChecker} found. The counts are of distinct request ids and partition the
 * invoked ones: {@code invoked == ok + failed + indeterminate}. The lists hold request ids,
 * each at most once, in the order they were first invoked (stored-only ids after, in the
 * final read's order).
 *
 * @param invoked request ids invoked at least once
 * @param ok request ids acknowledged at least once
 * @param failed request ids never acknowledged whose every invoke ended in FAIL
 * @param indeterminate the rest: some invoke ended in INFO or had no completion
 * @param lost acknowledged, yet no stored task carries the id, or the acknowledged task id is
 *     missing from the final state or carries another request id
 * @param duplicated more than one stored task carries the id, or two acknowledgements of it
 *     named different task ids
 * @param failedButApplied every invoke ended in FAIL, yet a stored task carries the id
 * @param unexpected a stored task carries the id but it was never invoked
 */
public record SubmitResult(
    int invoked,
    int ok,
    int failed,
    int indeterminate,
    List<String> lost,
    List<String> duplicated,
    List<String> failedButApplied,
    List<String> unexpected) {

  public SubmitResult {
    lost = List.copyOf(lost);
    duplicated = List.copyOf(duplicated);
    failedButApplied = List.copyOf(failedButApplied);
    unexpected = List.copyOf(unexpected);
  }

  /** Whether no anomaly was found: all four lists empty. */
  public boolean valid() {
    return lost.isEmpty()
        && duplicated.isEmpty()
        && failedButApplied.isEmpty()
        && unexpected.isEmpty();
  }

  /** One line for a log or a report. */
  public String summary() {
    return String.format(
        "submits valid=%s invoked=%d ok=%d failed=%d indeterminate=%d lost=%s duplicated=%s"
            + " failedButApplied=%s unexpected=%s",
        valid(), invoked, ok, failed, indeterminate, lost, duplicated, failedButApplied,
        unexpected);
  }
}
