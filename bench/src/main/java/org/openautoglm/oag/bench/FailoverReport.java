package org.openautoglm.oag.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a {@link FailoverProbe} run. Immutable.
 *
 * @param rounds the rounds that killed a leader, in order
 * @param writes writes acknowledged during the whole run
 * @param writeErrors failed writes by exception class (each after the client's retries)
 * @param error why the run stopped early, or null when every round ran
 */
public record FailoverReport(List<Round> rounds, long writes, Map<String, Long> writeErrors,
    String error) {

  /**
   * One leader kill.
   *
   * @param killed the leader's member id
   * @param pid the process killed
   * @param newLeader the leader after the kill; null when none was seen in time
   * @param gapMs kill to the first acknowledged write sent after it; null when none was
   *     acknowledged in time
   */
  public record Round(int round, String killed, long pid, String newLeader, Double gapMs) {}

  public FailoverReport {
    rounds = List.copyOf(rounds);
    writeErrors = Map.copyOf(writeErrors);
  }

  /** Median of the measured gaps; null when there are none. */
  public Double medianMs() {
    return median(gaps());
  }

  /** Largest measured gap; null when there are none. */
  public Double maxMs() {
    return gaps().stream().max(Double::compare).orElse(null);
  }

  private List<Double> gaps() {
    List<Double> g = new ArrayList<>();
    rounds.forEach(r -> {
      if (r.gapMs() != null) {
        g.add(r.gapMs());
      }
    });
    return g;
  }

  /** The middle value, or the mean of the two middle values; null for an empty list. */
  static Double median(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    int n = s.size();
    double m = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    return Latency.round3(m);
  }

  /**
   * The report as ordered JSON-ready fields; names are a contract for scripts (add, never
   * rename): rounds[] (round, killed, pid, newLeader, gapMs), medianMs, maxMs, writes,
   * writeErrors, error.
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    List<Map<String, Object>> rs = new ArrayList<>();
    for (Round r : rounds) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("round", r.round());
      j.put("killed", r.killed());
      j.put("pid", r.pid());
      j.put("newLeader", r.newLeader());
      j.put("gapMs", r.gapMs());
      rs.add(j);
    }
    f.put("rounds", rs);
    f.put("medianMs", medianMs());
    f.put("maxMs", maxMs());
    f.put("writes", writes);
    f.put("writeErrors", new TreeMap<>(writeErrors));
    f.put("error", error);
    return f;
  }
}
