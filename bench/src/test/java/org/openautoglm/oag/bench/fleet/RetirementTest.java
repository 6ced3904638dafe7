package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many nodes may go silent at once without the storm guard going on. */
class RetirementTest {

  @Test
  void roomIsTheGuardsAllowanceLessWhatIsAlreadySilent() {
    // The guard goes on when silent > max(1, up * percent / 100).
    assertThat(Retirement.room(1000, 0, 50)).isEqualTo(500);
    assertThat(Retirement.room(1000, 500, 50)).isZero();
    assertThat(Retirement.room(1003, 2, 50)).isEqualTo(499);
    assertThat(Retirement.room(3, 0, 50)).isEqualTo(1);
    assertThat(Retirement.room(1, 0, 50)).isEqualTo(1);    // the last node may always go
    assertThat(Retirement.room(10, 7, 50)).isZero();
  }

  @Test
  void aFleetOfOnlySimulatedNodesRetiresInHalvingWaves() {
    int live = 1000;
    int waves = 0;
    while (live > 0) {
      int wave = Math.min(live, Retirement.room(live, 0, 50));
      live -= wave;   // the wave goes DOWN before the next one starts
      waves++;
    }
    assertThat(waves).isEqualTo(11);   // 500, 250, 125, 62, 31, 16, 8, 4, 2, 1, 1
  }

  @Test
  void nodeNamesMapToAgentIndexesOnlyWhenTheyAreThisRunsNodes() {
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-0")).isZero();
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-99")).isEqualTo(99);
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-100")).isEqualTo(-1);
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-07")).isEqualTo(-1);
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-")).isEqualTo(-1);
    assertThat(DownWatch.index("sim-x-", 100, "sim-y-1")).isEqualTo(-1);
    assertThat(DownWatch.index("sim-x-", 100, "sim-x-1a")).isEqualTo(-1);
    assertThat(DownWatch.index("sim-x-", 100, "a1")).isEqualTo(-1);
  }
}
