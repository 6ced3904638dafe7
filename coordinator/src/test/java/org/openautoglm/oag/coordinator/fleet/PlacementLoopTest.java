package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlacementLoopTest {
  private static final String MEMORY_2G = "insufficient memory: need 4096 MiB, largest free 2048 MiB on 3 eligible nodes";
  private static final String MEMORY_1G = "insufficient memory: need 4096 MiB, largest free 1024 MiB on 3 eligible nodes";

  @Test
  void aNewKindOfReasonIsRecordedAtOnce() {
    assertThat(PlacementLoop.worthRecording("submitted", 1_000, MEMORY_2G, 1_001)).isTrue();
    assertThat(PlacementLoop.worthRecording(MEMORY_2G, 1_000, "no node matches gpu.model=H100", 1_001)).isTrue();
    assertThat(PlacementLoop.worthRecording("no node matches zone=a", 1_000, "no node matches zone=b", 1_001))
        .isTrue();
  }

  @Test
  void theSameReasonIsNeverRecordedAgain() {
    assertThat(PlacementLoop.worthRecording(MEMORY_2G, 1_000, MEMORY_2G, 1_000_000)).isFalse();
  }

  @Test
  void newFiguresForTheSameKindWaitUntilTheRecordedOneIsOld() {
    long refresh = PlacementLoop.REASON_REFRESH_MS;

    assertThat(PlacementLoop.worthRecording(MEMORY_2G, 1_000, MEMORY_1G, 1_000 + refresh - 1)).isFalse();
    assertThat(PlacementLoop.worthRecording(MEMORY_2G, 1_000, MEMORY_1G, 1_000 + refresh)).isTrue();
    assertThat(PlacementLoop.worthRecording("no node is up and eligible (3 nodes, 1 down, 2 cordoned)", 1_000,
        "no node is up and eligible (3 nodes, 2 down, 1 cordoned)", 1_001)).isFalse();
  }
}
