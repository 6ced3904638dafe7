package org.openautoglm.oag.bench.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.SubmitReport;

/**
 * What a {@link Comparison} measured, and the figures derived from it: per level the
 * medians over the counted rounds and the ratio A/B, the failover medians, and whether the
 * targets of the comparison were met. Immutable.
 *
 * @param a the first system's name (numerator of every ratio)
 * @param b the second system's name
 * @param commandLines per system, its leader's command line at the start
 * @param warmups per system, the throughput of each initial warm-up step
 * @param levels per client count, every round run (counted or run again)
 * @param failovers per system, its leader kills (absent when none were asked for)
 */
public record ComparisonReport(
    String a,
    String b,
    ComparisonConfig config,
    Instant started,
    Instant ended,
    Map<String, String> commandLines,
    Map<String, List<Double>> warmups,
    List<Level> levels,
    Map<String, FailoverReport> failovers) {

  /** The ratio A/B of writes/s at the highest level that counts as "faster". */
  public static final double THROUGHPUT_TARGET = 1.2;
  /** The failover median that counts as "fast", in ms. */
  public static final double FAILOVER_TARGET_MS = 1000;

  public ComparisonReport {
    commandLines = Map.copyOf(commandLines);
    warmups = Map.copyOf(warmups);
    levels = List.copyOf(levels);
    failovers = Map.copyOf(failovers);
  }

  /** One run of one system: the generator's report and the CPU seen meanwhile (or null). */
  public record Run(SubmitReport report, CpuMeter.Usage cpu) {
    /** Foreign CPU in cores; 0 when it could not be measured. */
    public double foreignCores() {
      return cpu == null ? 0 : cpu.foreignCores();
    }
  }

  /** One round: A's run, then B's; {@code counted} is false for a round run again. */
  public record Round(int round, Run a, Run b, boolean counted) {}

  /** All rounds at one client count. */
  public record Level(int clients, List<Round> rounds) {
    public Level {
      rounds = List.copyOf(rounds);
    }

    List<Run> counted(boolean first) {
      List<Run> runs = new ArrayList<>();
      for (Round r : rounds) {
        if (r.counted()) {
          runs.add(first ? r.a() : r.b());
        }
      }
      return runs;
    }

    /** Median over the counted runs of A (first) or B. */
    public double median(boolean first, ToDoubleFunction<SubmitReport> figure) {
      List<Double> v = new ArrayList<>();
      counted(first).forEach(r -> v.add(figure.applyAsDouble(r.report())));
      return medianOf(v);
    }

    public double throughput(boolean first) {
      return median(first, r -> r.measured().throughput());
    }

    public double p50Ms(boolean first) {
      return median(first, r -> r.latency().p50Ms());
    }

    public double p99Ms(boolean first) {
      return median(first, r -> r.latency().p99Ms());
    }

    /** Throughput of A over B; NaN when B did nothing. */
    public double ratio() {
      double tb = throughput(false);
      return tb > 0 ? throughput(true) / tb : Double.NaN;
    }

    /** The highest foreign load of any counted run, in cores. */
    public double maxForeignCores() {
      double max = 0;
      for (Round r : rounds) {
        if (r.counted()) {
          max = Math.max(max, Math.max(r.a().foreignCores(), r.b().foreignCores()));
        }
      }
      return max;
    }

    /** Rounds run again because of foreign load. */
    public int reruns() {
      return (int) rounds.stream().filter(r -> !r.counted()).count();
    }

    /** Leader changes seen during the counted measured phases of A or B. */
    public int leaderChanges(boolean first) {
      return counted(first).stream().mapToInt(r -> r.report().leadership().changes()).sum();
    }

    /** Failed writes during the counted measured phases of A or B. */
    public long errors(boolean first) {
      return counted(first).stream().mapToLong(r -> r.report().measured().errors()).sum();
    }
  }

  /** The level with the most clients. */
  public Level top() {
    return levels.stream().max((x, y) -> Integer.compare(x.clients(), y.clients()))
        .orElseThrow();
  }

  /** Leader changes during all counted load phases of A or B. */
  public int leaderChanges(boolean first) {
    return levels.stream().mapToInt(l -> l.leaderChanges(first)).sum();
  }

  public Duration elapsed() {
    return Duration.between(started, ended);
  }

  /**
   * The targets, each with its verdict: throughput at the top level at least {@link
   * #THROUGHPUT_TARGET} times B's, p99 there not above B's, failover median at most {@link
   * #FAILOVER_TARGET_MS} and not above B's, and no leader change of A during load.
   */
  public List<Target> targets() {
    Level top = top();
    List<Target> t = new ArrayList<>();
    t.add(new Target(String.format(Locale.ROOT,
        "%s writes/s at %d clients >= %.1fx %s's", a, top.clients(), THROUGHPUT_TARGET, b),
        String.format(Locale.ROOT, "%.2fx", top.ratio()),
        top.ratio() >= THROUGHPUT_TARGET));
    t.add(new Target(String.format(Locale.ROOT, "%s p99 at %d clients <= %s's", a,
        top.clients(), b), String.format(Locale.ROOT, "%.1f ms vs %.1f ms",
        top.p99Ms(true), top.p99Ms(false)), top.p99Ms(true) <= top.p99Ms(false)));
    FailoverReport fa = failovers.get(a);
    FailoverReport fb = failovers.get(b);
    if (fa != null && fb != null && fa.medianMs() != null) {
      double ma = fa.medianMs();
      Double mb = fb.medianMs();
      t.add(new Target(String.format(Locale.ROOT,
          "%s failover median <= %.1f s and <= %s's", a, FAILOVER_TARGET_MS / 1000, b),
          String.format(Locale.ROOT, "%.2f s vs %s", ma / 1000,
              mb == null ? "none" : String.format(Locale.ROOT, "%.2f s", mb / 1000)),
          ma <= FAILOVER_TARGET_MS && (mb == null || ma <= mb)));
    }
    t.add(new Target(a + " leader changes during load = 0", Integer.toString(leaderChanges(true)),
        leaderChanges(true) == 0));
    return t;
  }

  /** One target: what it asks, what was measured, whether it was met. */
  public record Target(String what, String measured, boolean met) {}

  /** The middle value, or the mean of the two middle values; NaN for none. */
  static double medianOf(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
