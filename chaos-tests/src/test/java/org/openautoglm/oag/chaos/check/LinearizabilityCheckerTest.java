package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openautoglm.oag.chaos.check.DesiredOps.APPLIED;
import static org.openautoglm.oag.chaos.check.DesiredOps.PAUSE;
import static org.openautoglm.oag.chaos.check.DesiredOps.READ;
import static org.openautoglm.oag.chaos.check.DesiredOps.REFUSED;
import static org.openautoglm.oag.chaos.check.DesiredOps.RESUME;
import static org.openautoglm.oag.chaos.check.DesiredOps.STOP;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

class LinearizabilityCheckerTest {

  private final AtomicLong clock = new AtomicLong();
  private final History h = History.inMemory(clock::get);

  private LinearizabilityResult check() {
    return LinearizabilityChecker.check(h.ops(), Duration.ofSeconds(5));
  }

  private void tick() {
    clock.addAndGet(1_000_000);
  }

  /** A write on its own: invoked, then acknowledged with {@code written}. */
  private void write(int process, String f, String task, String requestId, String written) {
    h.invoke(process, f, task, requestId);
    tick();
    h.ok(process, f, task, written);
    tick();
  }

  /** A read on its own that saw {@code state} (generation 0). */
  private void read(int process, String task, String state) {
    h.invoke(process, READ, task);
    tick();
    h.ok(process, READ, task, state + " 0");
    tick();
  }

  @Test
  void overlappingWritesAndReadsThatSomeOrderExplainsAreLinearizable() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.invoke(1, RESUME, "t1", "r2");
    h.invoke(2, READ, "t1");
    h.invoke(3, READ, "t1");
    tick();
    h.ok(3, READ, "t1", "RUNNING 0"); // before the pause
    h.ok(2, READ, "t1", "PAUSED 0"); // between the pause and the resume
    h.nemesis("partition", "c1", Op.INJECT);
    h.ok(0, PAUSE, "t1", APPLIED);
    h.ok(1, RESUME, "t1", APPLIED);
    tick();
    read(2, "t1", "RUNNING"); // the resume came last
    write(0, STOP, "t1", "r3", APPLIED);
    write(1, RESUME, "t1", "r4", REFUSED);
    read(2, "t1", "STOPPED");

    LinearizabilityResult r = check();

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.tasks()).isEqualTo(1);
    assertThat(r.ops()).isEqualTo(8);
  }

  @Test
  void aReadThatMissesAnAcknowledgedPauseIsAStaleRead() {
    write(0, PAUSE, "t1", "r1", APPLIED);
    read(1, "t1", "RUNNING");

    LinearizabilityResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.nonLinearizable()).containsExactly("t1");
    assertThat(r.explanations().get("t1"))
        .contains("linearized at most 1 of 2", "in state PAUSED", "p1 read -> RUNNING 0");
    assertThat(r.summary()).contains("first: t1: ");
  }

  @Test
  void theSameReadIsFineWhileAResumeIsInFlight() {
    write(0, PAUSE, "t1", "r1", APPLIED);
    h.invoke(2, RESUME, "t1", "r2");
    read(1, "t1", "RUNNING");
    h.ok(2, RESUME, "t1", APPLIED);

    assertThat(check().valid()).isTrue();
  }

  @Test
  void aReadThatMissesAnAcknowledgedStopIsALostWrite() {
    write(0, STOP, "t1", "r1", APPLIED);
    read(1, "t1", "PAUSED");
    write(0, STOP, "t2", "r2", APPLIED);
    read(1, "t2", "RUNNING");
    write(0, STOP, "t3", "r3", APPLIED);
    read(1, "t3", "STOPPED");

    LinearizabilityResult r = check();

    assertThat(r.nonLinearizable()).containsExactly("t1", "t2");
    assertThat(r.tasks()).isEqualTo(3);
  }

  @Test
  void aRefusalWithNoStopBeforeItIsNotLinearizable() {
    write(0, PAUSE, "t1", "r1", REFUSED); // nothing stopped t1
    write(0, STOP, "t2", "r2", APPLIED);
    write(1, RESUME, "t2", "r3", REFUSED); // after the stop: right
    h.invoke(0, STOP, "t3", "r4");
    write(1, PAUSE, "t3", "r5", REFUSED); // during the stop: it may have come first
    h.ok(0, STOP, "t3", APPLIED);
    h.invoke(0, STOP, "t4", "r6");
    h.info(0, STOP, "t4", "deadline exceeded");
    write(1, RESUME, "t4", "r7", REFUSED); // after a stop that may have applied
    write(1, RESUME, "t5", "r8", REFUSED); // a stop invoked later cannot explain it
    write(0, STOP, "t5", "r9", APPLIED);

    LinearizabilityResult r = check();

    assertThat(r.nonLinearizable()).containsExactly("t1", "t5");
  }

  @Test
  void aRetriedWriteCountsOnceAndSpansFromItsFirstAttempt() {
    h.invoke(0, PAUSE, "t1", "r1");
    read(1, "t1", "PAUSED"); // the first attempt applied while in flight
    h.info(0, PAUSE, "t1", "deadline exceeded");
    write(2, RESUME, "t1", "r2", APPLIED);
    h.invoke(0, PAUSE, "t1", "r1"); // the retry finds r1 done and changes nothing
    tick();
    h.ok(0, PAUSE, "t1", APPLIED);
    read(1, "t1", "RUNNING");
    // A read concurrent with the first attempt may still see the state before it.
    h.invoke(0, PAUSE, "t2", "r3");
    read(1, "t2", "RUNNING");
    h.info(0, PAUSE, "t2", "unavailable");
    h.invoke(0, PAUSE, "t2", "r3");
    h.ok(0, PAUSE, "t2", APPLIED);
    read(1, "t2", "PAUSED");

    LinearizabilityResult r = check();

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.ops()).isEqualTo(4 + 3);
  }

  @Test
  void aWriteNeverSettledMayBeSeenOrNotButOnlyOnce() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.info(0, PAUSE, "t1", "deadline exceeded");
    read(1, "t1", "RUNNING"); // not applied yet (or never)
    read(1, "t1", "PAUSED"); // applied by now
    read(1, "t1", "PAUSED");
    h.invoke(0, PAUSE, "t2", "r2");
    h.info(0, PAUSE, "t2", "deadline exceeded");
    read(1, "t2", "PAUSED");
    read(1, "t2", "RUNNING"); // back, though nothing resumed it

    LinearizabilityResult r = check();

    assertThat(r.nonLinearizable()).containsExactly("t2");
    assertThat(r.explanations().get("t2")).contains("(and 1 unknown)");
  }

  @Test
  void theEffectOfAFailedWriteIsNotLinearizableButOneThatFailedAfterATimeoutMayHaveApplied() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.fail(0, PAUSE, "t1", "not leader");
    read(1, "t1", "PAUSED");
    h.invoke(0, PAUSE, "t2", "r2");
    h.info(0, PAUSE, "t2", "deadline exceeded");
    h.invoke(0, PAUSE, "t2", "r2");
    h.fail(0, PAUSE, "t2", "not leader");
    read(1, "t2", "PAUSED");

    assertThat(check().nonLinearizable()).containsExactly("t1");
  }

  @Test
  void aSearchCutShortByTheBudgetIsATimeoutAndNotValid() {
    // 40 writes all in flight together and a read no order explains: the search must try
    // every subset of the writes before it can say so.
    for (int p = 0; p < 40; p++) {
      h.invoke(p, p % 2 == 0 ? PAUSE : RESUME, "big", "r" + p);
    }
    h.invoke(40, READ, "big");
    tick();
    h.ok(40, READ, "big", "STOPPED 0");
    for (int p = 0; p < 40; p++) {
      h.ok(p, p % 2 == 0 ? PAUSE : RESUME, "big", APPLIED);
    }

    for (Duration budget : new Duration[] {Duration.ofMillis(1), Duration.ofNanos(1)}) {
      LinearizabilityResult r = LinearizabilityChecker.check(h.ops(), budget);

      assertThat(r.timedOut()).as(r.summary()).containsExactly("big");
      assertThat(r.nonLinearizable()).isEmpty();
      assertThat(r.valid()).isFalse();
      assertThat(r.summary()).contains("valid=false", "timedOut=[big]");
    }
  }

  @Test
  void tasksAreCheckedAsIndependentRegisters() {
    write(0, PAUSE, "t1", "r1", APPLIED);
    read(1, "t2", "RUNNING");
    write(0, STOP, "t2", "r2", APPLIED);
    write(1, RESUME, "t1", "r3", APPLIED);
    h.invoke(2, SubmitChecker.SUBMIT, "s1"); // not a desired-state op: ignored
    h.ok(2, SubmitChecker.SUBMIT, "s1", "t3");

    LinearizabilityResult r = check();

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.tasks()).isEqualTo(2);
    assertThat(r.ops()).isEqualTo(4);
  }

  @Test
  void anEmptyHistoryIsValid() {
    LinearizabilityResult r = LinearizabilityChecker.check(h.ops());

    assertThat(r.valid()).isTrue();
    assertThat(r.summary()).startsWith("linearizability valid=true tasks=0 ops=0");
  }
}
