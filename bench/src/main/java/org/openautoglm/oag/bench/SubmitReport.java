package org.openautoglm.oag.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one {@link SubmitLoad} run. Immutable.
 *
 * @param config what was asked for
 * @param warmup the unrecorded phase: writes acknowledged and failed (no latencies)
 * @param measured the measured phase: writes acknowledged (ops), failed by exception class
 * @param latency measured-phase latency of acknowledged writes, from the intended send time
 * @param behind open loop: how late measured-phase writes were sent against the schedule
 *     (all zero in a closed loop, where a write is sent when intended)
 * @param unsent open loop: measured-phase writes whose time came but that were not sent
 *     before the end of the phase (the generator fell that far behind)
 * @param abandoned workers still waiting on a write when the drain timeout ran out
 * @param leadership leader and term at the start and end of the measured phase, and the
 *     leader changes seen in between
 */
public record SubmitReport(
    LoadConfig config,
    Phase warmup,
    Phase measured,
    Latency latency,
    Latency behind,
    long unsent,
    int abandoned,
    Leadership leadership) {

  /** One phase's counts. {@code errorsByType} is empty for the warm-up. */
  public record Phase(double seconds, long ops, long errors, Map<String, Long> errorsByType) {
    public Phase {
      errorsByType = Map.copyOf(errorsByType);
    }

    /** Acknowledged writes per second; 0 for an empty phase. */
    public double throughput() {
      return seconds <= 0 ? 0 : Math.round(ops / seconds * 10.0) / 10.0;
    }
  }

  /**
   * @param leaderBefore null when no sample had a leader
   * @param termBefore -1 when no sample had a leader
   */
  public record Leadership(String leaderBefore, long termBefore, String leaderAfter,
      long termAfter, int changes) {}

  /**
   * Puts the merged worker figures into a report; the measured phase lasted {@code
   * measuredSeconds} (its configured duration, or less when a bound on the writes ended it).
   */
  static SubmitReport assemble(LoadConfig config, WorkerStats.Totals t, int abandoned,
      Leadership leadership, double measuredSeconds) {
    long measuredErrors = t.errors.values().stream().mapToLong(Long::longValue).sum();
    return new SubmitReport(config,
        new Phase(seconds(config.warmup()), t.warmupOps, t.warmupErrors, Map.of()),
        new Phase(measuredSeconds, t.ops, measuredErrors, t.errors),
        Latency.ofMicros(t.latency),
        config.openLoop() ? Latency.ofMicros(t.behind) : Latency.NONE,
        t.unsent, abandoned, leadership);
  }

  private static double seconds(java.time.Duration d) {
    return d.toNanos() / 1e9;
  }

  /**
   * The report as ordered JSON-ready fields. The names are a contract for scripts (add
   * fields, never rename): clients, durationSeconds, ops, errors, throughput, p50Ms, p90Ms,
   * p99Ms, p999Ms, maxMs, warmupThroughput, leaderChanges, termBefore, termAfter, and more.
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("mode", config.openLoop() ? "open" : "closed");
    f.put("clients", config.clients());
    f.put("rate", config.openLoop() ? config.rate() : null);
    f.put("payloadBytes", config.payloadBytes());
    f.put("durationSeconds", measured.seconds());
    f.put("ops", measured.ops());
    f.put("errors", measured.errors());
    f.put("errorsByType", new TreeMap<>(measured.errorsByType()));
    f.put("throughput", measured.throughput());
    f.put("p50Ms", latency.p50Ms());
    f.put("p90Ms", latency.p90Ms());
    f.put("p99Ms", latency.p99Ms());
    f.put("p999Ms", latency.p999Ms());
    f.put("maxMs", latency.maxMs());
    f.put("meanMs", latency.meanMs());
    f.put("warmupSeconds", warmup.seconds());
    f.put("warmupOps", warmup.ops());
    f.put("warmupErrors", warmup.errors());
    f.put("warmupThroughput", warmup.throughput());
    f.put("behindP99Ms", behind.p99Ms());
    f.put("behindMaxMs", behind.maxMs());
    f.put("unsent", unsent);
    f.put("abandoned", abandoned);
    f.put("leaderChanges", leadership.changes());
    f.put("leaderBefore", leadership.leaderBefore());
    f.put("termBefore", leadership.termBefore());
    f.put("leaderAfter", leadership.leaderAfter());
    f.put("termAfter", leadership.termAfter());
    f.put("namePrefix", config.namePrefix());
    f.put("maxWrites", config.maxWrites() == 0 ? null : config.maxWrites());
    return f;
  }
}
