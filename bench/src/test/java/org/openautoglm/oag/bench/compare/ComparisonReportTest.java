package org.openautoglm.oag.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.Latency;
import org.openautoglm.oag.bench.LoadConfig;
import org.openautoglm.oag.bench.SubmitReport;

class ComparisonReportTest {
  private static final ComparisonConfig CONFIG = ComparisonConfig.builder()
      .levels(List.of(1, 64)).rounds(3).duration(Duration.ofSeconds(10)).build();

  static SubmitReport run(int clients, long ops, double p99Ms, int leaderChanges) {
    LoadConfig c = LoadConfig.builder(clients, Duration.ofSeconds(10)).build();
    return new SubmitReport(c, new SubmitReport.Phase(5, 0, 0, Map.of()),
        new SubmitReport.Phase(10, ops, 0, Map.of()),
        new Latency(ops, p99Ms / 4, p99Ms / 2, p99Ms, p99Ms * 2, p99Ms * 3, p99Ms / 3),
        Latency.NONE, 0, 0, new SubmitReport.Leadership("c1", 1, "c1", 1 + leaderChanges,
            leaderChanges));
  }

  static ComparisonReport.Run r(int clients, long ops, double p99Ms, double foreign) {
    return new ComparisonReport.Run(run(clients, ops, p99Ms, 0),
        new CpuMeter.Usage(1.5 + foreign, 1.5));
  }

  static ComparisonReport report(Map<String, FailoverReport> failovers) {
    ComparisonReport.Level one = new ComparisonReport.Level(1, List.of(
        new ComparisonReport.Round(1, r(1, 1000, 2, 0), r(1, 2000, 1, 0), true),
        new ComparisonReport.Round(2, r(1, 1200, 2, 0), r(1, 2000, 1, 0), true),
        new ComparisonReport.Round(3, r(1, 1100, 2, 0), r(1, 2000, 1, 0), true)));
    ComparisonReport.Level top = new ComparisonReport.Level(64, List.of(
        new ComparisonReport.Round(1, r(64, 50000, 30, 0), r(64, 40000, 40, 0), true),
        // run again: its numbers must not count, however extreme
        new ComparisonReport.Round(2, r(64, 1, 900, 1.2), r(64, 1, 900, 0), false),
        new ComparisonReport.Round(3, r(64, 60000, 20, 0.1), r(64, 40000, 50, 0), true),
        new ComparisonReport.Round(4, r(64, 40000, 25, 0), r(64, 40000, 45, 0.2), true)));
    return new ComparisonReport("oag", "etcd", CONFIG, Instant.EPOCH,
        Instant.EPOCH.plusSeconds(600), Map.of("oag", "java ... coordinator", "etcd", "etcd"),
        Map.of("oag", List.of(100.0, 2000.0), "etcd", List.of(3000.0)), List.of(one, top),
        failovers);
  }

  static FailoverReport failover(double... gapsMs) {
    List<FailoverReport.Round> rounds = new java.util.ArrayList<>();
    for (int i = 0; i < gapsMs.length; i++) {
      rounds.add(new FailoverReport.Round(i + 1, "c1", 100 + i, "c2", gapsMs[i]));
    }
    return new FailoverReport(rounds, 1000, Map.of(), null);
  }

  @Test
  void mediansAndRatioCountOnlyTheRoundsNotRunAgain() {
    ComparisonReport.Level top = report(Map.of()).top();

    assertThat(top.clients()).isEqualTo(64);
    assertThat(top.throughput(true)).isEqualTo(5000);   // median of 5000, 6000, 4000 ops/s
    assertThat(top.throughput(false)).isEqualTo(4000);
    assertThat(top.ratio()).isEqualTo(1.25);
    assertThat(top.p99Ms(true)).isEqualTo(25);
    assertThat(top.maxForeignCores()).isCloseTo(0.2, within(1e-9));
    assertThat(top.reruns()).isEqualTo(1);
  }

  @Test
  void targetsAreJudgedAtTheTopLevelAndOnFailoverMedians() {
    ComparisonReport met = report(Map.of("oag", failover(900, 800, 1100),
        "etcd", failover(1300, 1400, 1200)));
    assertThat(met.targets()).allMatch(ComparisonReport.Target::met);

    ComparisonReport slowFailover = report(Map.of("oag", failover(1100, 1200, 1150),
        "etcd", failover(1000, 1000, 1000)));
    assertThat(slowFailover.targets()).filteredOn(t -> t.what().contains("failover"))
        .singleElement().satisfies(t -> assertThat(t.met()).isFalse());
  }

  @Test
  void theTableAndTheResultsFileHoldEveryLevelTargetAndRun() {
    ComparisonReport r = report(Map.of("oag", failover(900), "etcd", failover(1300)));

    String table = ResultsText.table(r);
    assertThat(table).contains("CLIENTS", "OAG W/S", "ETCD W/S", "1.25x",
        "median 0.90 s", "median 1.30 s", "(1 rerun)");
    String md = ResultsText.markdown(r, "bench/compare-etcd.sh --rounds 3", List.of("etcd: 3.4"));
    assertThat(md).contains(table, "bench/compare-etcd.sh --rounds 3", "etcd: 3.4",
        "java ... coordinator", "no, run again", "## Targets", "## Machine");
    // 7 rounds in all, two runs each, one table row per run
    assertThat(md.lines().filter(l -> l.matches("\\| (1|64) \\| \\d \\| (oag|etcd) \\|.*")))
        .hasSize(14);
  }
}
