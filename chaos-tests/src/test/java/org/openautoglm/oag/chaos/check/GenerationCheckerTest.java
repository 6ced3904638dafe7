package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openautoglm.oag.chaos.check.DesiredOps.APPLIED;
import static org.openautoglm.oag.chaos.check.DesiredOps.PAUSE;
import static org.openautoglm.oag.chaos.check.DesiredOps.READ;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.History;

class GenerationCheckerTest {

  private final AtomicLong clock = new AtomicLong();
  private final History h = History.inMemory(clock::get);

  private GenerationResult check() {
    return GenerationChecker.check(h.ops());
  }

  private void tick() {
    clock.addAndGet(1_000_000);
  }

  private void read(int process, String task, String value) {
    h.invoke(process, READ, task);
    tick();
    h.ok(process, READ, task, value);
    tick();
  }

  @Test
  void generationsThatNeverGoBackAreValid() {
    read(0, "t1", "RUNNING 0");
    read(1, "t1", "RUNNING 1");
    read(0, "t1", "PAUSED 1");
    read(1, "t1", "PAUSED 3");

    GenerationResult r = check();

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.tasks()).isEqualTo(1);
    assertThat(r.reads()).isEqualTo(4);
  }

  @Test
  void aLowerGenerationReadAfterAHigherOneReturnedIsReportedWithBothReads() {
    read(0, "t1", "RUNNING 2");
    read(1, "t1", "RUNNING 1");

    GenerationResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.taskIds()).containsExactly("t1");
    GenerationViolation v = r.violations().get(0);
    assertThat(v.earlier()).isEqualTo(new GenerationViolation.Seen(0, 0, 1_000_000, 2));
    assertThat(v.later()).isEqualTo(new GenerationViolation.Seen(1, 2_000_000, 3_000_000, 1));
    assertThat(r.summary()).contains(
        "t1: p0 gen 2 [0.000ms, 1.000ms] then p1 gen 1 [2.000ms, 3.000ms]");
  }

  @Test
  void overlappingReadsMayReportGenerationsInEitherOrder() {
    h.invoke(0, READ, "t1");
    tick();
    h.invoke(1, READ, "t1");
    tick();
    h.ok(1, READ, "t1", "RUNNING 2"); // returned first, but p0's read was already in flight
    tick();
    h.ok(0, READ, "t1", "RUNNING 1");

    assertThat(check().valid()).isTrue();
  }

  @Test
  void aReadIsComparedWithTheHighestGenerationReturnedBeforeIt() {
    h.invoke(0, READ, "t1");
    h.invoke(1, READ, "t1");
    h.ok(0, READ, "t1", "RUNNING 5");
    h.ok(1, READ, "t1", "RUNNING 3");
    read(2, "t1", "RUNNING 4"); // after a 5: back

    GenerationResult r = check();

    assertThat(r.violations()).singleElement().satisfies(v -> {
      assertThat(v.earlier().generation()).isEqualTo(5);
      assertThat(v.later().generation()).isEqualTo(4);
    });
  }

  @Test
  void tasksAreIndependentAndWritesAndUnansweredReadsDoNotCount() {
    read(0, "t1", "RUNNING 5");
    read(0, "t2", "RUNNING 1");
    h.invoke(0, PAUSE, "t1", "r1");
    h.ok(0, PAUSE, "t1", APPLIED);
    h.invoke(1, READ, "t1");
    h.fail(1, READ, "t1", "unavailable");
    read(1, "t3", "RUNNING 2");
    read(1, "t3", "PAUSED 1");

    GenerationResult r = check();

    assertThat(r.taskIds()).containsExactly("t3");
    assertThat(r.tasks()).isEqualTo(3);
    assertThat(r.reads()).isEqualTo(4);
  }

  @Test
  void eachViolatingTaskIsReportedOnce() {
    read(0, "t1", "RUNNING 3");
    read(0, "t1", "RUNNING 2");
    read(0, "t1", "RUNNING 1");
    read(1, "t2", "RUNNING 1");
    read(1, "t2", "RUNNING 0");

    assertThat(check().taskIds()).containsExactly("t1", "t2");
  }
}
