package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;

/**
 * The checkers on large histories of simulated atomic registers ({@link SimulatedRegisters}):
 * valid ones pass well within the budget, and one read changed to a state no order allows is
 * found.
 */
class LinearizabilityRandomTest {

  private static final Duration BUDGET = Duration.ofSeconds(5);

  @Test
  void manyTasksOfEightMostlySeparateClientsAreLinearizableAndOneImpossibleReadIsFound() {
    List<Op> history = new SimulatedRegisters(8, 2_000, 50_000, true, 42).history();

    LinearizabilityResult r = LinearizabilityChecker.check(history, BUDGET);

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.tasks()).isEqualTo(2_000);
    assertThat(r.ops()).isGreaterThan(40_000);
    assertThat(r.elapsed()).isLessThan(BUDGET.dividedBy(5));
    assertThat(GenerationChecker.check(history).valid()).isTrue();

    int flipped = lastReadOfATaskNeverStopped(history);
    LinearizabilityResult broken = LinearizabilityChecker.check(
        SimulatedRegisters.withValue(history, flipped, "STOPPED 0"), BUDGET);

    assertThat(broken.nonLinearizable()).as(broken.summary())
        .containsExactly(history.get(flipped).key());
    assertThat(broken.timedOut()).isEmpty();
    assertThat(broken.summary()).contains("STOPPED 0");
  }

  @Test
  void fiveClientsHammeringOneTaskAreLinearizableAndOneImpossibleReadIsFound() {
    for (long seed = 1; seed <= 20; seed++) {
      for (boolean stops : new boolean[] {true, false}) {
        List<Op> history = new SimulatedRegisters(5, 1, 200, stops, seed).history();

        LinearizabilityResult r = LinearizabilityChecker.check(history, BUDGET);

        assertThat(r.valid()).as("seed %d: %s", seed, r.summary()).isTrue();
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(1));
        assertThat(GenerationChecker.check(history).valid()).isTrue();
      }
      List<Op> history = new SimulatedRegisters(5, 1, 200, false, seed).history();
      int flipped = lastReadOfATaskNeverStopped(history);
      LinearizabilityResult broken = LinearizabilityChecker.check(
          SimulatedRegisters.withValue(history, flipped, "STOPPED 0"), BUDGET);

      assertThat(broken.nonLinearizable()).as("seed %d: %s", seed, broken.summary())
          .containsExactly("t0");
      assertThat(broken.elapsed()).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aGenerationWoundBackIsFound() {
    List<Op> history = new SimulatedRegisters(4, 50, 2_000, true, 7).history();
    int last = -1;
    long highest = 0;
    for (int i = 0; i < history.size(); i++) { // the last read of t1 after a generation > 0
      Op op = history.get(i);
      if (isOkRead(op) && op.key().equals("t1")) {
        highest = Math.max(highest, DesiredOps.parseRead(op.value()).generation());
        last = highest > 0 ? i : last;
      }
    }
    assertThat(last).as("no read of t1 saw a placement").isNotNegative();
    String state = DesiredOps.parseRead(history.get(last).value()).desired().name();

    GenerationResult r = GenerationChecker.check(
        SimulatedRegisters.withValue(history, last, state + " 0"));

    assertThat(r.taskIds()).as(r.summary()).containsExactly("t1");
  }

  /**
   * The index of the last OK read of a task no operation ever tried to stop: changed to
   * STOPPED, no order can explain it.
   */
  private static int lastReadOfATaskNeverStopped(List<Op> history) {
    java.util.Set<String> stopped = new java.util.HashSet<>();
    for (Op op : history) {
      if (op.type() == OpType.INVOKE && DesiredOps.STOP.equals(op.f())) {
        stopped.add(op.key());
      }
    }
    for (int i = history.size() - 1; i >= 0; i--) {
      Op op = history.get(i);
      if (isOkRead(op) && !stopped.contains(op.key())) {
        return i;
      }
    }
    throw new AssertionError("every task read was stopped at some point");
  }

  private static boolean isOkRead(Op op) {
    return op.type() == OpType.OK && DesiredOps.READ.equals(op.f());
  }
}
