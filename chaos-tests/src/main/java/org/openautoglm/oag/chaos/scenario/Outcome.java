package org.openautoglm.oag.chaos.scenario;

import java.util.List;

/**
 * One scenario's line in the summary of a chaos run: what it did and what its checkers said,
 * in the same columns for every scenario. A column a scenario does not check holds {@code -1}
 * (or "-" for {@code linearizable}); its own report ({@code report.md} beside it) has the
 * details.
 *
 * @param faults the faults injected, e.g. {@code kill-leader 5, pause-leader 4}
 * @param operations client operations recorded (submits, desired-state writes and reads), or
 *     failover rounds for a scenario without a client workload
 * @param linearizable "yes", "NO", or "-" where not checked
 * @param recovery what the recovery figures measure, e.g. "leader fault -> first acknowledged write"
 */
public record Outcome(String scenario, long seed, String faults, long operations, long lost,
    long duplicated, long overlaps, String linearizable, String recovery, long recoveryP50Ms,
    long recoveryMaxMs, boolean valid, String workDir) {

  /** The summary table of several outcomes. */
  public static String table(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | seed | faults | operations | lost | duplicated | overlaps | linearizable "
        + "| recovery p50 / max | result |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Outcome o : outcomes) {
      b.append(String.format("| %s | %d | %s | %d | %s | %s | %s | %s | %s: %.2f s / %.2f s | %s |%n",
          o.scenario, o.seed, o.faults, o.operations, count(o.lost), count(o.duplicated),
          count(o.overlaps), o.linearizable, o.recovery, o.recoveryP50Ms / 1000.0,
          o.recoveryMaxMs / 1000.0, o.valid ? "PASS" : "FAIL"));
    }
    return b.toString();
  }

  private static String count(long n) {
    return n < 0 ? "-" : Long.toString(n);
  }
}
