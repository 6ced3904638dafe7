package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementReportTest {

  @Test
  void placementRunsFromTheFirstSubmittedToTheLastScheduledOfTheRunsTasksOnly() {
    PlacementReport r = PlacementReport.of(List.of("t1", "t2", "t3", "t4"),
        Map.of("t1", 10_000L, "t2", 10_100L, "t3", 10_400L, "t4", 10_500L, "t9", 1_000L),
        Map.of("t1", 10_300L, "t2", 10_350L, "t3", 10_900L, "t4", 12_000L, "t9", 99_000L),
        Map.of("t1", 7L, "t2", 7L, "t3", 9L, "t4", 12L, "t9", 99L));

    assertThat(r.allPlaced()).isTrue();
    assertThat(r.placementSeconds()).isEqualTo(2.0);
    assertThat(r.placementsPerSecond()).isEqualTo(2.0);
    assertThat(r.submitSeconds()).isEqualTo(0.5);
    assertThat(r.submittedPerSecond()).isEqualTo(8.0);
    assertThat(r.drainSeconds()).isEqualTo(1.7);
    assertThat(r.drainPerSecond()).isEqualTo(2.4);
    assertThat(r.fields()).containsEntry("tasks", 4).containsEntry("placed", 4)
        .containsEntry("firstSubmittedMs", 10_000L).containsEntry("lastScheduledMs", 12_000L)
        .containsEntry("placementEntries", 3);
  }

  @Test
  void tasksNotYetPlacedAreCountedAndOnlyThePlacedOnesSetTheRate() {
    PlacementReport r = PlacementReport.of(List.of("t1", "t2", "t3"),
        Map.of("t1", 0L, "t2", 100L, "t3", 200L), Map.of("t1", 500L), Map.of("t1", 4L));

    assertThat(r.allPlaced()).isFalse();
    assertThat(r.placed()).isEqualTo(1);
    assertThat(r.placementSeconds()).isEqualTo(0.5);
    assertThat(r.placementsPerSecond()).isEqualTo(2.0);
  }

  @Test
  void nothingSeenIsZerosNotNaN() {
    PlacementReport r = PlacementReport.of(List.of("t1"), Map.of(), Map.of(), Map.of());

    assertThat(r.firstSubmittedMs()).isEqualTo(-1);
    assertThat(r.firstScheduledMs()).isEqualTo(-1);
    assertThat(r.drainPerSecond()).isZero();
    assertThat(r.placementsPerSecond()).isZero();
    assertThat(r.submittedPerSecond()).isZero();
    assertThat(r.placementEntries()).isZero();
    assertThat(PlacementReport.of(List.of(), Map.of(), Map.of(), Map.of()).allPlaced()).isTrue();
  }
}
