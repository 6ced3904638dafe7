package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitReportTest {

  private static LoadConfig config(double rate) {
    return LoadConfig.builder(8, Duration.ofSeconds(20)).warmup(Duration.ofSeconds(5))
        .rate(rate).payloadBytes(128).namePrefix("bench-x").build();
  }

  /** 1000 writes of 1..1000 ms in the measured phase. */
  private static WorkerStats.Totals totals() {
    WorkerStats a = new WorkerStats();
    WorkerStats b = new WorkerStats();
    for (int ms = 1; ms <= 1000; ms++) {
      (ms % 2 == 0 ? a : b).acked(true, ms * 1_000_000L, ms * 1_000L);
    }
    for (int i = 0; i < 250; i++) {
      a.acked(false, 5_000_000L, 0);
    }
    a.failed(true, new IllegalStateException());
    b.failed(true, new IllegalStateException());
    b.failed(true, new UnsupportedOperationException());
    b.failed(false, new IllegalStateException());
    b.unsent(7);
    WorkerStats.Totals t = new WorkerStats.Totals();
    a.addTo(t);
    b.addTo(t);
    return t;
  }

  @Test
  void percentilesThroughputAndErrorsComeFromTheMergedWorkers() {
    SubmitReport r = SubmitReport.assemble(config(0), totals(), 0,
        new SubmitReport.Leadership("c1", 3, "c2", 4, 1), 20.0);

    assertThat(r.measured().ops()).isEqualTo(1000);
    assertThat(r.measured().throughput()).isEqualTo(50.0);
    assertThat(r.warmup().ops()).isEqualTo(250);
    assertThat(r.warmup().throughput()).isEqualTo(50.0);
    assertThat(r.warmup().errors()).isEqualTo(1);
    assertThat(r.measured().errors()).isEqualTo(3);
    assertThat(r.measured().errorsByType()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "IllegalStateException", 2L, "UnsupportedOperationException", 1L));
    Latency l = r.latency();
    assertThat(l.p50Ms()).isCloseTo(500, org.assertj.core.data.Offset.offset(1.0));
    assertThat(l.p90Ms()).isCloseTo(900, org.assertj.core.data.Offset.offset(1.0));
    assertThat(l.p99Ms()).isCloseTo(990, org.assertj.core.data.Offset.offset(1.0));
    assertThat(l.p50Ms()).isLessThanOrEqualTo(l.p90Ms());
    assertThat(l.p99Ms()).isLessThanOrEqualTo(l.p999Ms()).isLessThanOrEqualTo(l.maxMs());
    assertThat(l.maxMs()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
    assertThat(r.behind()).isEqualTo(Latency.NONE); // closed loop: never behind
  }

  @Test
  void jsonFieldsKeepTheirNamesAndOrder() {
    Map<String, Object> f = SubmitReport.assemble(config(400), totals(), 2,
        new SubmitReport.Leadership("c1", 3, "c1", 3, 0), 20.0).fields();

    assertThat(f.keySet()).containsSubsequence("clients", "durationSeconds", "ops", "errors",
        "throughput", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "warmupThroughput",
        "leaderChanges", "termBefore", "termAfter");
    assertThat(f).containsEntry("mode", "open").containsEntry("rate", 400.0)
        .containsEntry("clients", 8).containsEntry("durationSeconds", 20.0)
        .containsEntry("ops", 1000L).containsEntry("errors", 3L)
        .containsEntry("unsent", 7L).containsEntry("abandoned", 2)
        .containsEntry("leaderChanges", 0).containsEntry("termBefore", 3L)
        .containsEntry("namePrefix", "bench-x");
    assertThat((Double) f.get("behindMaxMs")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void anEmptyRunReportsZerosNotNaN() {
    SubmitReport r = SubmitReport.assemble(config(0), new WorkerStats.Totals(), 0,
        new LeaderWatch().result(), 20.0);
    assertThat(r.latency()).isEqualTo(Latency.NONE);
    assertThat(r.measured().throughput()).isZero();
    assertThat(r.fields()).containsEntry("termBefore", -1L).containsEntry("leaderBefore", null)
        .containsEntry("maxWrites", null);
  }

  @Test
  void aRunEndedByItsBoundOnWritesIsMeasuredOverTheTimeItTook() {
    LoadConfig bounded = LoadConfig.builder(8, Duration.ofSeconds(20)).maxWrites(1000)
        .namePrefix("bench-x").build();
    SubmitReport r = SubmitReport.assemble(bounded, totals(), 0,
        new SubmitReport.Leadership("c1", 3, "c1", 3, 0), 4.0);

    assertThat(r.measured().throughput()).isEqualTo(250.0);
    assertThat(r.fields()).containsEntry("durationSeconds", 4.0).containsEntry("maxWrites", 1000L);
  }

  @Test
  void leaderChangesAreTermIncreasesBetweenSamplesWithALeader() {
    LeaderWatch w = new LeaderWatch();
    w.observe(health("c1", 3));
    w.observe(health("", 4));      // election in progress: skipped
    w.observe(health("c2", 4));    // change 1
    w.observe(health("c1", 3));    // a member behind the times: ignored
    w.observe(health("c2", 4));
    w.observe(health("c2", 6));    // change 2 (c2 re-elected after a lost election)

    assertThat(w.result()).isEqualTo(new SubmitReport.Leadership("c1", 3, "c2", 6, 2));
  }

  @Test
  void configRefusesWhatCannotRun() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(0, Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(1, Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(1, Duration.ofSeconds(1)).payloadBytes(70_000).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(1, Duration.ofSeconds(1)).rate(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(1, Duration.ofSeconds(1)).maxWrites(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> LoadConfig.builder(1, Duration.ofSeconds(1)).maxWrites(10).rate(5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed loop");
    assertThat(LoadConfig.newNamePrefix("bench")).matches("bench-[0-9a-z]+");
  }

  @Test
  void payloadsAreExactlyThatManyAlphanumericBytes() {
    String p = SubmitLoad.payload(256, new java.util.SplittableRandom(1));
    assertThat(p).hasSize(256).matches("[A-Za-z0-9]+");
    assertThat(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(256);
    assertThat(SubmitLoad.payload(0, new java.util.SplittableRandom(1))).isEmpty();
  }

  private static ClusterHealth health(String leader, long term) {
    return new ClusterHealth(leader, term, java.util.List.of());
  }
}
