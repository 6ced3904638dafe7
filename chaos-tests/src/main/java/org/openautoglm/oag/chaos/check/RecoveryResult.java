package org.openautoglm.oag.chaos.check;

import java.time.Duration;
import java.util.List;

/**
 * What {@link RecoveryChecker} found.
 *
 * @param recoveries for each fault inject that recovered, in history order: the time from it
 *     to the first OK of a client write invoked after it
 * @param unrecovered injects after which no client write invoked later succeeded
 * @param p50 the nearest-rank median of {@code recoveries}; zero when there are none
 * @param max the longest of {@code recoveries}; zero when there are none
 * @param worstAfterHeal the longest latency (OK time minus invoke time) of an op invoked
 *     after the last heal; zero when there is no heal or no such op succeeded
 * @param violations what broke the bound after the last heal, one line each (at most {@link
 *     RecoveryChecker#MAX_LISTED} and a line counting the rest)
 */
public record RecoveryResult(
    List<Duration> recoveries,
    int unrecovered,
    Duration p50,
    Duration max,
    Duration worstAfterHeal,
    List<String> violations) {

  public RecoveryResult {
    recoveries = List.copyOf(recoveries);
    violations = List.copyOf(violations);
  }

  /** Whether every inject recovered and nothing broke the bound after the last heal. */
  public boolean valid() {
    return unrecovered == 0 && violations.isEmpty();
  }

  /** One line for a log or a report. */
  public String summary() {
    return String.format(
        "recovery valid=%s recovered=%d unrecovered=%d p50=%dms max=%dms worstAfterHeal=%dms"
            + " violations=%s",
        valid(), recoveries.size(), unrecovered, p50.toMillis(), max.toMillis(),
        worstAfterHeal.toMillis(), violations);
  }
}
