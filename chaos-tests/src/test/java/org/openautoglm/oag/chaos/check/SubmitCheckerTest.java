package org.openautoglm.oag.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;

class SubmitCheckerTest {

  private static final String SUBMIT = SubmitChecker.SUBMIT;

  private final AtomicLong clock = new AtomicLong();
  private final History h = History.inMemory(clock::get);

  private SubmitResult check(StoredTask... finalState) {
    return SubmitChecker.check(h.ops(), List.of(finalState));
  }

  private static StoredTask task(String taskId, String requestId) {
    return new StoredTask(taskId, requestId);
  }

  private void acked(int process, String requestId, String taskId) {
    h.invoke(process, SUBMIT, requestId);
    clock.addAndGet(1_000);
    h.ok(process, SUBMIT, requestId, taskId);
  }

  @Test
  void aCleanHistoryIsValidAndCounted() {
    h.invoke(0, SUBMIT, "r1");
    h.invoke(1, SUBMIT, "r2");
    h.invoke(2, SUBMIT, "r3");
    h.nemesis("kill-leader", "c1", Op.INJECT);
    h.ok(0, SUBMIT, "r1", "t1");
    h.fail(1, SUBMIT, "r2", "invalid argument");
    h.info(2, SUBMIT, "r3", "unavailable");
    acked(0, "r4", "t4");
    h.invoke(1, SUBMIT, "r5");
    h.info(1, SUBMIT, "r5", "deadline exceeded");
    h.invoke(2, "read", "x"); // not a submit: ignored
    h.ok(2, "read", "x", null);

    // r3 (indeterminate) was not applied, r5 (indeterminate) was: both are allowed.
    SubmitResult r = check(
        task("t1", "r1"), task("t4", "r4"), task("t5", "r5"), task("t9", null));

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.invoked()).isEqualTo(5);
    assertThat(r.ok()).isEqualTo(2);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.indeterminate()).isEqualTo(2);
  }

  @Test
  void anAcknowledgedSubmitMissingFromTheFinalStateIsLost() {
    acked(0, "r1", "t1");
    acked(0, "r2", "t2");

    SubmitResult r = check(task("t2", "r2"));

    assertThat(r.lost()).containsExactly("r1");
    assertThat(r.valid()).isFalse();
  }

  @Test
  void anAcknowledgedTaskIdMissingFromTheFinalStateIsLostEvenIfTheRequestIdIsStored() {
    acked(0, "r1", "t1");
    acked(0, "r2", "t2");

    // r1 is stored under another task id; t2 is stored but labelled with another request.
    SubmitResult r = check(task("t7", "r1"), task("t2", "r8"));

    assertThat(r.lost()).containsExactly("r1", "r2");
    assertThat(r.unexpected()).containsExactly("r8");
  }

  @Test
  void twoStoredTasksForOneRequestIdAreADuplicate() {
    h.invoke(0, SUBMIT, "r1");
    h.info(0, SUBMIT, "r1", "unavailable");
    h.invoke(0, SUBMIT, "r1");
    h.ok(0, SUBMIT, "r1", "t1");

    SubmitResult r = check(task("t1", "r1"), task("t2", "r1"));

    assertThat(r.duplicated()).containsExactly("r1");
    assertThat(r.lost()).isEmpty();
    assertThat(r.valid()).isFalse();
  }

  @Test
  void twoAcknowledgementsNamingDifferentTasksAreADuplicate() {
    h.invoke(0, SUBMIT, "r1");
    h.ok(0, SUBMIT, "r1", "t1");
    h.invoke(0, SUBMIT, "r1");
    h.ok(0, SUBMIT, "r1", "t2");

    SubmitResult r = check(task("t1", "r1"), task("t2", "r1"));

    assertThat(r.duplicated()).containsExactly("r1");
  }

  @Test
  void anIndeterminateSubmitRetriedWithTheSameIdAndAcknowledgedIsOneWrite() {
    h.invoke(0, SUBMIT, "r1");
    h.info(0, SUBMIT, "r1", "deadline exceeded");
    h.invoke(0, SUBMIT, "r1");
    h.info(0, SUBMIT, "r1", "unavailable");
    h.invoke(0, SUBMIT, "r1");
    h.ok(0, SUBMIT, "r1", "t1");

    SubmitResult r = check(task("t1", "r1"));

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.invoked()).isEqualTo(1);
    assertThat(r.ok()).isEqualTo(1);
    assertThat(r.indeterminate()).isZero();
  }

  @Test
  void aFailedSubmitThatWasStoredIsReported() {
    h.invoke(0, SUBMIT, "r1");
    h.fail(0, SUBMIT, "r1", "not leader");

    SubmitResult r = check(task("t1", "r1"));

    assertThat(r.failedButApplied()).containsExactly("r1");
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.valid()).isFalse();
  }

  @Test
  void aFailAfterAnIndeterminateAttemptProvesNothingAboutTheFirstAttempt() {
    h.invoke(0, SUBMIT, "r1");
    h.info(0, SUBMIT, "r1", "deadline exceeded");
    h.invoke(0, SUBMIT, "r1");
    h.fail(0, SUBMIT, "r1", "not leader");

    SubmitResult r = check(task("t1", "r1"));

    assertThat(r.valid()).as(r.summary()).isTrue();
    assertThat(r.indeterminate()).isEqualTo(1);
    assertThat(r.failed()).isZero();
  }

  @Test
  void aSubmitWithNoCompletionIsIndeterminate() {
    acked(0, "r1", "t1");
    h.invoke(1, SUBMIT, "r2");

    SubmitResult r = check(task("t1", "r1"), task("t2", "r2"));

    assertThat(r.valid()).isTrue();
    assertThat(r.indeterminate()).isEqualTo(1);
  }

  @Test
  void aStoredRequestIdNeverInvokedIsUnexpected() {
    acked(0, "r1", "t1");

    SubmitResult r = check(
        task("t1", "r1"), StoredTask.of("t2", Map.of(StoredTask.REQUEST_LABEL, "r99")));

    assertThat(r.unexpected()).containsExactly("r99");
    assertThat(r.valid()).isFalse();
  }

  @Test
  void theSameTaskReadTwiceIsNotADuplicate() {
    acked(0, "r1", "t1");

    assertThat(check(task("t1", "r1"), task("t1", "r1")).valid()).isTrue();
  }

  @Test
  void aCompletionWithNoInvokeIsAHarnessBug() {
    h.invoke(0, SUBMIT, "r1");
    h.ok(1, SUBMIT, "r1", "t1");

    assertThatThrownBy(() -> check()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("completes nothing");
  }
}
