package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

class RecoveryCheckerTest {

  private static final Duration BOUND = Duration.ofSeconds(2);
  private static final String SUBMIT = SubmitChecker.SUBMIT;

  private final AtomicLong clock = new AtomicLong();
  private final History h = History.inMemory(clock::get);
  private int seq;

  private void at(long ms) {
    clock.set(Duration.ofMillis(ms).toNanos());
  }

  private RecoveryResult check() {
    return RecoveryChecker.check(h.ops(), BOUND);
  }

  /** An op by {@code process} invoked at {@code invokeMs} and acknowledged at {@code okMs}. */
  private void acked(int process, long invokeMs, long okMs) {
    String id = "r" + seq++;
    at(invokeMs);
    h.invoke(process, SUBMIT, id);
    at(okMs);
    h.ok(process, SUBMIT, id, "t" + id);
  }

  private void inject(long ms) {
    at(ms);
    h.nemesis("kill-leader", "c1", Op.INJECT);
  }

  private void heal(long ms) {
    at(ms);
    h.nemesis("kill-leader", "c1", Op.HEAL);
  }

  @Test
  void recoveryRunsFromTheInjectToTheFirstOkOfAnOpInvokedAfterIt() {
    at(900);
    h.invoke(0, SUBMIT, "early");
    inject(1_000);
    at(1_050);
    h.ok(0, SUBMIT, "early", "t0"); // invoked before the fault: proves nothing
    acked(1, 1_100, 1_900);
    acked(0, 1_200, 1_800);
    heal(3_000);
    acked(0, 3_100, 3_150);

    RecoveryResult r = check();

    assertThat(r.recoveries()).containsExactly(Duration.ofMillis(800));
    assertThat(r.unrecovered()).isZero();
    assertThat(r.worstAfterHeal()).isEqualTo(Duration.ofMillis(50));
    assertThat(r.valid()).as(r.summary()).isTrue();
  }

  @Test
  void aReadIsNoRecovery() {
    inject(1_000);
    at(1_100);
    h.invoke(0, DesiredOps.READ, "t1");
    at(1_200);
    h.ok(0, DesiredOps.READ, "t1", DesiredOps.readValue(DesiredOps.Desired.RUNNING, 0));
    at(1_300);
    h.invoke(1, DesiredOps.PAUSE, "t1", "p1");
    at(1_700);
    h.ok(1, DesiredOps.PAUSE, "t1", DesiredOps.APPLIED);

    assertThat(check().recoveries()).containsExactly(Duration.ofMillis(700));
  }

  @Test
  void anOpSlowerThanTheBoundAfterTheLastHealIsAViolation() {
    inject(1_000);
    acked(0, 1_100, 1_500);
    heal(2_000);
    acked(0, 2_100, 2_200);
    acked(1, 2_100, 4_600);

    RecoveryResult r = check();

    assertThat(r.worstAfterHeal()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(r.violations()).singleElement().asString()
        .contains("process 1").contains("took 2500 ms");
    assertThat(r.valid()).isFalse();
  }

  @Test
  void slowOpsBeforeTheLastHealAreAllowed() {
    inject(1_000);
    acked(0, 1_100, 9_000);
    heal(10_000);
    inject(11_000);
    acked(0, 11_100, 19_000);
    heal(20_000);
    acked(0, 20_100, 20_300);

    RecoveryResult r = check();

    assertThat(r.recoveries()).containsExactly(Duration.ofMillis(8_000), Duration.ofMillis(8_000));
    assertThat(r.valid()).as(r.summary()).isTrue();
  }

  @Test
  void noOkAfterTheLastHealIsAViolation() {
    inject(1_000);
    acked(0, 1_100, 1_500);
    heal(2_000);
    at(2_100);
    h.invoke(0, SUBMIT, "a");
    at(2_200);
    h.fail(0, SUBMIT, "a", "unavailable"); // fast: not a violation by itself

    RecoveryResult r = check();

    assertThat(r.violations()).singleElement().asString()
        .contains("no write invoked after the last heal");
  }

  @Test
  void aFirstOkLaterThanTheBoundAfterTheLastHealIsAViolation() {
    heal(2_000);
    at(2_100);
    h.invoke(0, SUBMIT, "a");
    at(2_200);
    h.info(0, SUBMIT, "a", "unavailable");
    acked(0, 4_500, 4_600);

    assertThat(check().violations()).singleElement().asString().contains("first write OK 2600 ms");
  }

  @Test
  void anOpStillPendingLongerThanTheBoundAtTheEndIsAViolation() {
    heal(2_000);
    at(2_100);
    h.invoke(1, SUBMIT, "stuck");
    acked(0, 2_100, 2_200);
    acked(0, 5_000, 5_100);

    assertThat(check().violations()).singleElement().asString()
        .contains("process 1").contains("still pending");
  }

  @Test
  void anInjectWithNoLaterOkIsUnrecovered() {
    acked(0, 100, 200);
    inject(1_000);
    at(1_100);
    h.invoke(0, SUBMIT, "a");
    at(1_200);
    h.info(0, SUBMIT, "a", "unavailable");

    RecoveryResult r = check();

    assertThat(r.unrecovered()).isEqualTo(1);
    assertThat(r.recoveries()).isEmpty();
    assertThat(r.p50()).isEqualTo(Duration.ZERO);
    assertThat(r.valid()).isFalse();
  }

  @Test
  void p50AndMaxAreNearestRank() {
    long[] gaps = {100, 400, 200, 300};
    long t = 0;
    for (long gap : gaps) {
      t += 1_000;
      inject(t);
      acked(0, t + 1, t + gap);
      heal(t + 500);
    }
    acked(0, t + 600, t + 650);

    RecoveryResult r = check();

    assertThat(r.recoveries()).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(200),
        Duration.ofMillis(300));
    assertThat(r.p50()).isEqualTo(Duration.ofMillis(200)); // rank ceil(0.5 * 4) = 2
    assertThat(r.max()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void nearestRankPicksTheValueAtRankCeilOfPTimesN() {
    List<Duration> tenToHundred = List.of(
        ms(10), ms(20), ms(30), ms(40), ms(50), ms(60), ms(70), ms(80), ms(90), ms(100));

    assertThat(RecoveryChecker.nearestRank(tenToHundred, 50)).isEqualTo(ms(50));
    assertThat(RecoveryChecker.nearestRank(tenToHundred, 90)).isEqualTo(ms(90));
    assertThat(RecoveryChecker.nearestRank(tenToHundred, 91)).isEqualTo(ms(100));
    assertThat(RecoveryChecker.nearestRank(tenToHundred, 1)).isEqualTo(ms(10));
    assertThat(RecoveryChecker.nearestRank(List.of(ms(7)), 50)).isEqualTo(ms(7));
    assertThat(RecoveryChecker.nearestRank(List.of(), 50)).isEqualTo(Duration.ZERO);
  }

  @Test
  void manyViolationsAreListedUpToALimit() {
    heal(1_000);
    for (int i = 0; i < RecoveryChecker.MAX_LISTED + 5; i++) {
      acked(0, 1_100 + i * 10_000L, 1_100 + i * 10_000L + 3_000);
    }

    RecoveryResult r = check();

    // The first OK came 3100 ms after the heal, then every op broke the bound.
    assertThat(r.violations()).hasSize(RecoveryChecker.MAX_LISTED + 1);
    assertThat(r.violations().get(RecoveryChecker.MAX_LISTED)).isEqualTo("6 more violations");
  }

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }
}
