package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverReportTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(FailoverReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(FailoverReport.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(FailoverReport.median(List.of(7.0))).isEqualTo(7.0);
    assertThat(FailoverReport.median(List.of())).isNull();
  }

  @Test
  void medianAndMaxSkipRoundsWithoutAGap() {
    FailoverReport r = new FailoverReport(List.of(
        new FailoverReport.Round(1, "c1", 11, "c2", 1500.0),
        new FailoverReport.Round(2, "c2", 12, "c3", 900.0),
        new FailoverReport.Round(3, "c3", 13, null, null)), 1234, Map.of("X", 2L), "round 3: no");

    assertThat(r.medianMs()).isEqualTo(1200.0);
    assertThat(r.maxMs()).isEqualTo(1500.0);
    Map<String, Object> f = r.fields();
    assertThat(f.keySet()).containsExactly("rounds", "medianMs", "maxMs", "writes",
        "writeErrors", "error");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rounds = (List<Map<String, Object>>) f.get("rounds");
    assertThat(rounds).hasSize(3);
    assertThat(rounds.get(0)).containsExactly(Map.entry("round", 1), Map.entry("killed", "c1"),
        Map.entry("pid", 11L), Map.entry("newLeader", "c2"), Map.entry("gapMs", 1500.0));
  }

  @Test
  void noRoundsNoFigures() {
    FailoverReport r = new FailoverReport(List.of(), 0, Map.of(), "x");
    assertThat(r.medianMs()).isNull();
    assertThat(r.maxMs()).isNull();
  }
}
