package org.openautoglm.oag.chaos.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.sink.Tick;

class TickGapsTest {
  private static final long MS = 1_000_000;

  @Test
  void aHandoverWithBothGenerationsTickingLeavesNoHoleBeyondThePeriod() {
    List<Tick> ticks = new ArrayList<>();
    ticks.addAll(ticksOf(1, 0, 500));     // the old run
    ticks.addAll(ticksOf(2, 320, 1000));  // the new one, started before the old one stopped
    ticks.sort((a, b) -> Long.compare(a.time(), b.time()));

    TickGaps.Gap gap = TickGaps.largest("t1", ticks, 0, 1000 * MS);
    assertThat(gap.nanos()).isEqualTo(50 * MS);
    assertThat(gap.missedTicks()).isZero();
    assertThat(gap.sameGenerationNanos()).isEqualTo(50 * MS);
  }

  @Test
  void aHoleBetweenGenerationsCountsTheTicksThatShouldHaveComeInIt() {
    List<Tick> ticks = new ArrayList<>(ticksOf(1, 0, 400));
    ticks.addAll(ticksOf(2, 630, 900));   // 230 ms after the last old tick: 3 missed

    TickGaps.Gap gap = TickGaps.largest("t1", ticks, 0, 900 * MS);
    assertThat(gap.millis()).isEqualTo(230);
    assertThat(gap.missedTicks()).isEqualTo(3);
    assertThat(gap.fromGeneration()).isEqualTo(1);
    assertThat(gap.toGeneration()).isEqualTo(2);
    assertThat(gap.sameGenerationNanos()).isEqualTo(50 * MS);
  }

  @Test
  void onlyPairsStartingInTheWindowCountAndThePairSpanningItsEndDoes() {
    List<Tick> ticks = new ArrayList<>(ticksOf(1, 0, 100));
    ticks.add(new Tick("t1", 1, 700 * MS));   // a hole of 600 ms before the window
    ticks.addAll(ticksOf(1, 750, 800));
    ticks.add(new Tick("t1", 1, 1000 * MS));  // spans the end at 900 ms

    TickGaps.Gap gap = TickGaps.largest("t1", ticks, 650 * MS, 900 * MS);
    assertThat(gap.millis()).isEqualTo(200);
    assertThat(gap.ticks()).isEqualTo(3);
    assertThat(TickGaps.largest("t1", ticks, 2000 * MS, 3000 * MS).nanos()).isZero();
  }

  /** Ticks of one generation every 50 ms from {@code fromMs} to {@code toMs}, both included. */
  private static List<Tick> ticksOf(long generation, long fromMs, long toMs) {
    List<Tick> out = new ArrayList<>();
    for (long ms = fromMs; ms <= toMs; ms += 50) {
      out.add(new Tick("t1", generation, ms * MS));
    }
    return out;
  }
}
