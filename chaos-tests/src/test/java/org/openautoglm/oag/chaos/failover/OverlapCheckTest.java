package org.openautoglm.oag.chaos.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.sink.Life;

class OverlapCheckTest {
  private static final long MS = 1_000_000;

  @Test
  void generationsOneAfterTheOtherDoNotOverlap() {
    List<Life> lives = List.of(life("t1", 1, 0, 100), life("t1", 2, 150, 300), life("t1", 3, 301, 400));
    assertThat(OverlapCheck.overlaps(lives, Set.of("t1"))).isEmpty();
    assertThat(OverlapCheck.shortestBreak(lives, Set.of("t1"))).hasValue(1 * MS);
    assertThat(OverlapCheck.handovers(lives, Set.of("t1"))).isEqualTo(2);
  }

  @Test
  void aLaterGenerationStartingBeforeTheEarlierOnesLastTickOverlaps() {
    List<Life> lives = List.of(life("t1", 1, 0, 200), life("t1", 2, 150, 300));
    assertThat(OverlapCheck.overlaps(lives, Set.of("t1")))
        .containsExactly(new OverlapCheck.Overlap("t1", 1, 2, 50 * MS));
    assertThat(OverlapCheck.shortestBreak(lives, Set.of("t1"))).hasValue(-50 * MS);
  }

  @Test
  void aTickAtTheSameInstantIsAnOverlapAndEveryPairIsChecked() {
    List<Life> lives = List.of(life("t1", 1, 0, 100), life("t1", 2, 100, 200), life("t1", 3, 50, 60));
    assertThat(OverlapCheck.overlaps(lives, Set.of("t1"))).extracting(o -> o.earlierGeneration() + "-"
        + o.laterGeneration()).containsExactlyInAnyOrder("1-2", "1-3");
  }

  @Test
  void onlyTheExclusiveTasksCount() {
    List<Life> lives = List.of(life("t1", 1, 0, 200), life("t1", 2, 100, 300), life("t2", 1, 0, 10));
    assertThat(OverlapCheck.overlaps(lives, Set.of("t2"))).isEmpty();
    assertThat(OverlapCheck.shortestBreak(lives, Set.of("t2"))).isEmpty();
  }

  private static Life life(String task, long generation, long firstMs, long lastMs) {
    return new Life(task, generation, firstMs * MS, lastMs * MS, 1 + (lastMs - firstMs) / 50);
  }
}
