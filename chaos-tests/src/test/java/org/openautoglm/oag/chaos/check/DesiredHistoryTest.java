package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openautoglm.oag.chaos.check.DesiredOps.APPLIED;
import static org.openautoglm.oag.chaos.check.DesiredOps.PAUSE;
import static org.openautoglm.oag.chaos.check.DesiredOps.READ;
import static org.openautoglm.oag.chaos.check.DesiredOps.REFUSED;
import static org.openautoglm.oag.chaos.check.DesiredOps.RESUME;
import static org.openautoglm.oag.chaos.check.DesiredOps.STOP;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.check.DesiredOps.Desired;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

class DesiredHistoryTest {

  private final AtomicLong clock = new AtomicLong();
  private final History h = History.inMemory(clock::get);

  private Map<String, List<DesiredOp>> byTask() {
    return DesiredHistory.byTask(h.ops());
  }

  private void tick() {
    clock.addAndGet(1_000);
  }

  @Test
  void retriedAttemptsOfOneRequestIdAreOneWriteFromTheFirstInvokeToTheOk() {
    h.invoke(0, PAUSE, "t1", "r1");
    tick();
    h.info(0, PAUSE, "t1", "deadline exceeded");
    tick();
    h.invoke(0, PAUSE, "t1", "r1");
    tick();
    h.info(0, PAUSE, "t1", "unavailable");
    tick();
    h.invoke(0, PAUSE, "t1", "r1");
    tick();
    h.ok(0, PAUSE, "t1", APPLIED);

    List<DesiredOp> ops = byTask().get("t1");

    assertThat(ops).hasSize(1);
    DesiredOp pause = ops.get(0);
    assertThat(pause.call()).isEqualTo(new Moment(0, 0));
    assertThat(pause.ret()).isEqualTo(new Moment(5_000, 5));
    assertThat(pause.written()).isEqualTo(APPLIED);
    assertThat(pause.requestId()).isEqualTo("r1");
    assertThat(pause.isUnknown()).isFalse();
  }

  @Test
  void aWriteNeverSettledHasAnUnknownOutcomeAndNeverReturns() {
    h.invoke(0, STOP, "t1", "r1");
    h.info(0, STOP, "t1", "deadline exceeded");
    h.invoke(1, RESUME, "t1", "r2"); // no completion at all

    List<DesiredOp> ops = byTask().get("t1");

    assertThat(ops).extracting(DesiredOp::requestId).containsExactly("r1", "r2");
    assertThat(ops).allSatisfy(op -> {
      assertThat(op.isUnknown()).isTrue();
      assertThat(op.ret()).isEqualTo(Moment.NEVER);
    });
  }

  @Test
  void aWriteFailedAtOnceNeverHappened() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.fail(0, PAUSE, "t1", "not leader");

    assertThat(byTask()).isEmpty();
  }

  @Test
  void aFailAfterAnIndeterminateAttemptLeavesTheOutcomeUnknown() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.info(0, PAUSE, "t1", "deadline exceeded");
    h.invoke(0, PAUSE, "t1", "r1");
    h.fail(0, PAUSE, "t1", "not leader");

    List<DesiredOp> ops = byTask().get("t1");

    assertThat(ops).hasSize(1);
    assertThat(ops.get(0).isUnknown()).isTrue();
    assertThat(ops.get(0).call().index()).isZero();
  }

  @Test
  void anotherRequestIdOrAReadEndsARunOfRetries() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.info(0, PAUSE, "t1", "deadline exceeded");
    h.invoke(0, PAUSE, "t1", "r2"); // a new request, not a retry
    h.info(0, PAUSE, "t1", "deadline exceeded");
    h.invoke(0, READ, "t1");
    h.ok(0, READ, "t1", "PAUSED 0");
    h.invoke(0, PAUSE, "t1", "r2"); // after a read: a new logical write
    h.ok(0, PAUSE, "t1", REFUSED);

    List<DesiredOp> ops = byTask().get("t1");

    assertThat(ops).extracting(DesiredOp::toString).containsExactly(
        "p0 pause r1 -> unknown [0.000ms, ?]",
        "p0 pause r2 -> unknown [0.000ms, ?]",
        "p0 read -> PAUSED 0 [0.000ms, 0.000ms]",
        "p0 pause r2 -> refused [0.000ms, 0.000ms]");
    assertThat(ops.get(3).call().index()).isEqualTo(6);
  }

  @Test
  void anotherKindOfOperationDoesNotEndARun() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.info(0, PAUSE, "t1", "deadline exceeded");
    h.invoke(0, SubmitChecker.SUBMIT, "s1");
    h.ok(0, SubmitChecker.SUBMIT, "s1", "t2");
    h.invoke(0, PAUSE, "t1", "r1");
    h.ok(0, PAUSE, "t1", APPLIED);

    assertThat(byTask().get("t1")).singleElement()
        .satisfies(op -> assertThat(op.written()).isEqualTo(APPLIED));
  }

  @Test
  void onlyReadsThatAnsweredAreKept() {
    h.invoke(0, READ, "t1");
    h.fail(0, READ, "t1", "unavailable");
    h.invoke(0, READ, "t1");
    h.info(0, READ, "t1", "deadline exceeded");
    h.invoke(0, READ, "t1");
    h.ok(0, READ, "t1", "STOPPED 4");
    h.invoke(1, READ, "t1");

    List<DesiredOp> ops = byTask().get("t1");

    assertThat(ops).singleElement().satisfies(op -> {
      assertThat(op.isRead()).isTrue();
      assertThat(op.read()).isEqualTo(new DesiredOps.Read(Desired.STOPPED, 4));
      assertThat(op.requestId()).isNull();
    });
  }

  @Test
  void tasksComeInFirstInvokedOrderAndOpsInCallOrder() {
    h.invoke(0, PAUSE, "t2", "r1");
    h.invoke(1, READ, "t1");
    h.invoke(2, READ, "t2");
    h.ok(2, READ, "t2", "RUNNING 0");
    h.nemesis("kill-leader", "c1", Op.INJECT);
    h.ok(0, PAUSE, "t2", APPLIED);
    h.ok(1, READ, "t1", "RUNNING 1");

    Map<String, List<DesiredOp>> byTask = byTask();

    assertThat(byTask.keySet()).containsExactly("t2", "t1");
    assertThat(byTask.get("t2")).extracting(DesiredOp::f).containsExactly(PAUSE, READ);
  }

  @Test
  void malformedOperationsAreRejected() {
    h.invoke(0, PAUSE, "t1", "r1");
    h.ok(0, PAUSE, "t1", "PAUSED 0");
    assertThatThrownBy(this::byTask).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be applied or refused");

    History noId = History.inMemory(clock::get);
    noId.invoke(0, STOP, "t1");
    assertThatThrownBy(() -> DesiredHistory.byTask(noId.ops()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no request id");

    History badRead = History.inMemory(clock::get);
    badRead.invoke(0, READ, "t1");
    badRead.ok(0, READ, "t1", "PAUSED");
    assertThatThrownBy(() -> DesiredHistory.byTask(badRead.ops()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STATE GENERATION");

    History orphan = History.inMemory(clock::get);
    orphan.ok(0, READ, "t1", "PAUSED 0");
    assertThatThrownBy(() -> DesiredHistory.byTask(orphan.ops()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completes nothing");
  }
}
