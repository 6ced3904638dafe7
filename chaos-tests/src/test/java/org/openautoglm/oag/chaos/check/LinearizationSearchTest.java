package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.check.DesiredOps.Desired;
import org.openautoglm.oag.chaos.check.LinearizationSearch.Verdict;

/**
 * The search against the definition: on many small random histories (overlapping windows,
 * wrong outputs, unknown outcomes) it agrees with trying every order that respects real time,
 * where unknown operations too must be placed somewhere. This is what shows that pruning
 * configurations covered by one with fewer unknown operations loses nothing.
 */
class LinearizationSearchTest {

  private static final String[] WRITES = {DesiredOps.PAUSE, DesiredOps.RESUME, DesiredOps.STOP};
  private static final long NO_DEADLINE = Long.MAX_VALUE / 4;

  @Test
  void agreesWithEveryOrderOnSmallRandomHistories() {
    Random random = new Random(1);
    int linearizable = 0;
    for (int i = 0; i < 20_000; i++) {
      List<DesiredOp> ops = randomOps(random, 1 + random.nextInt(7));
      boolean expected = someOrder(ops, new boolean[ops.size()], DesiredRegister.INITIAL);

      LinearizationSearch search = new LinearizationSearch(ops);
      Verdict verdict = search.run(System.nanoTime() + NO_DEADLINE);

      assertThat(verdict).as("%s", ops)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      linearizable += expected ? 1 : 0;
      if (!expected) {
        assertThat(search.explanation()).contains("none of these could go next");
      }
    }
    assertThat(linearizable).as("both verdicts are exercised").isBetween(4_000, 16_000);
  }

  /** Writes (a third unknown, a quarter of the rest refused) and reads of any state. */
  private static List<DesiredOp> randomOps(Random random, int n) {
    List<DesiredOp> ops = new ArrayList<>();
    int index = 0;
    for (int p = 0; p < n; p++) {
      long call = random.nextInt(20);
      Moment ret = new Moment(call + 1 + random.nextInt(8), index++);
      if (random.nextInt(3) == 0) {
        Desired seen = Desired.values()[random.nextInt(3)];
        ops.add(new DesiredOp(p, DesiredOps.READ, "t", null, new Moment(call, index++), ret,
            null, new DesiredOps.Read(seen, 0)));
        continue;
      }
      String f = WRITES[random.nextInt(random.nextInt(4) == 0 ? 3 : 2)];
      boolean unknown = random.nextInt(3) == 0;
      String written = random.nextInt(4) == 0 ? DesiredOps.REFUSED : DesiredOps.APPLIED;
      ops.add(new DesiredOp(p, f, "t", "r" + p, new Moment(call, index++),
          unknown ? Moment.NEVER : ret, unknown ? null : written, null));
    }
    ops.sort(Comparator.comparing(DesiredOp::call));
    return ops;
  }

  /** Whether some order of all of {@code ops} not yet {@code done} respects time and model. */
  private static boolean someOrder(List<DesiredOp> ops, boolean[] done, int state) {
    boolean all = true;
    for (int i = 0; i < ops.size(); i++) {
      if (done[i] || !first(ops, done, i)) {
        all &= done[i];
        continue;
      }
      all = false;
      DesiredOp op = ops.get(i);
      int next = DesiredRegister.step(
          state, DesiredRegister.command(op), DesiredRegister.output(op));
      if (next == DesiredRegister.MISMATCH) {
        continue;
      }
      done[i] = true;
      boolean found = someOrder(ops, done, next);
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return all;
  }

  /** Whether no operation left returned before {@code ops[i]} was invoked. */
  private static boolean first(List<DesiredOp> ops, boolean[] done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!done[j] && ops.get(j).precedes(ops.get(i))) {
        return false;
      }
    }
    return true;
  }
}
