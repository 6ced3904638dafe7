package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.UpdateTaskDesired;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class UpdateTaskDesiredApplierTest {

  private static final long INDEX = 50;
  private static final long NOW = 9_000;

  private final Fixtures.MemoryTasks stored = new Fixtures.MemoryTasks();
  private final TaskViews views = stored.views;
  private final UpdateTaskDesiredApplier applier = new UpdateTaskDesiredApplier();
  private final WorkingSet ws = new WorkingSet(views, new DedupeTable(key -> null), INDEX, NOW, 100);

  private TaskRecord seed(long seq, TaskStatus status, Desired desired) {
    TaskRecord.Builder b = Fixtures.task(seq, status, status == TaskStatus.RUNNING ? "n1" : "").toBuilder()
        .setDesired(desired);
    if (TaskStates.isTerminal(status)) {
      b.setFinishedAtMs(2_000);
    }
    stored.put(seq, b.build());
    return views.get(seq);
  }

  private CommandResult apply(String id, Action action) {
    return applier.apply(ws, UpdateTaskDesired.newBuilder().setTaskId(id).setAction(action).build());
  }

  private static void assertBumped(TaskRecord task) {
    assertEquals(NOW, task.getUpdatedAtMs());
    assertEquals(INDEX, task.getVersion());
  }

  @Test
  void unknownTaskIsNotFound() {
    CommandResult r = apply("t9", Action.STOP);
    assertEquals(Code.NOT_FOUND, r.getCode());
    assertEquals("task t9 not found", r.getMessage());
  }

  @Test
  void startMovesCreatedToPending() {
    seed(1, TaskStatus.CREATED, Desired.RUN);
    CommandResult r = apply("t1", Action.START);
    assertEquals(Code.OK, r.getCode());
    assertEquals(TaskStatus.PENDING, r.getTask().getStatus());
    assertBumped(r.getTask());
    assertEquals(r.getTask(), ws.task(1));
    assertEquals(TaskStatus.CREATED, views.get(1).getStatus(), "views change only on publish");
  }

  @ParameterizedTest
  @EnumSource(value = TaskStatus.class, names = {"PENDING", "SCHEDULED", "RUNNING", "PAUSED", "LOST"})
  void startOfAStartedTaskChangesNothing(TaskStatus status) {
    TaskRecord before = seed(1, status, Desired.RUN);
    CommandResult r = apply("t1", Action.START);
    assertEquals(Code.OK, r.getCode());
    assertEquals(before, r.getTask());
    assertEquals(before, ws.task(1));
    assertEquals(0, ws.taskChanges().size());
  }

  @ParameterizedTest
  @EnumSource(value = TaskStatus.class, names = {"CREATED", "PENDING", "LOST"})
  void stopOfAnUnplacedTaskStopsItNow(TaskStatus status) {
    seed(1, status, Desired.RUN);
    TaskRecord t = apply("t1", Action.STOP).getTask();
    assertEquals(TaskStatus.STOPPED, t.getStatus());
    assertEquals(Desired.STOP, t.getDesired());
    assertEquals(NOW, t.getFinishedAtMs());
    assertEquals(UpdateTaskDesiredApplier.STOPPED_MESSAGE, t.getMessage());
    assertBumped(t);
  }

  @ParameterizedTest
  @EnumSource(value = TaskStatus.class, names = {"SCHEDULED", "RUNNING", "PAUSED"})
  void stopOfAPlacedTaskOnlySetsDesired(TaskStatus status) {
    seed(1, status, Desired.RUN);
    TaskRecord t = apply("t1", Action.STOP).getTask();
    assertEquals(status, t.getStatus(), "the agent stops it and reports");
    assertEquals(Desired.STOP, t.getDesired());
    assertEquals(0, t.getFinishedAtMs());
    assertBumped(t);
  }

  @Test
  void stopOfAStoppedTaskIsIdempotent() {
    TaskRecord before = seed(1, TaskStatus.STOPPED, Desired.STOP);
    CommandResult r = apply("t1", Action.STOP);
    assertEquals(Code.OK, r.getCode());
    assertEquals(before, r.getTask());
    assertEquals(0, ws.taskChanges().size());
  }

  @ParameterizedTest
  @EnumSource(value = Action.class, names = {"START", "STOP", "PAUSE", "RESUME"})
  void finishedTasksRefuseChangesNamingTheirState(Action action) {
    seed(1, TaskStatus.SUCCEEDED, Desired.RUN);
    seed(2, TaskStatus.FAILED, Desired.RUN);
    CommandResult succeeded = apply("t1", action);
    CommandResult failed = apply("t2", action);
    assertEquals(Code.FAILED_PRECONDITION, succeeded.getCode());
    assertEquals("task t1 is already SUCCEEDED", succeeded.getMessage());
    assertEquals("task t2 is already FAILED", failed.getMessage());
    assertEquals(0, ws.taskChanges().size());
  }

  @ParameterizedTest
  @EnumSource(value = Action.class, names = {"START", "PAUSE", "RESUME"})
  void stoppedTasksRefuseEverythingButStop(Action action) {
    seed(1, TaskStatus.STOPPED, Desired.STOP);
    CommandResult r = apply("t1", action);
    assertEquals(Code.FAILED_PRECONDITION, r.getCode());
    assertEquals("task t1 is already STOPPED", r.getMessage());
  }

  @Test
  void pauseAndResumeSetDesiredOnly() {
    seed(1, TaskStatus.RUNNING, Desired.RUN);
    TaskRecord paused = apply("t1", Action.PAUSE).getTask();
    assertEquals(Desired.PAUSE, paused.getDesired());
    assertEquals(TaskStatus.RUNNING, paused.getStatus());
    assertBumped(paused);

    TaskRecord resumed = apply("t1", Action.RESUME).getTask();
    assertEquals(Desired.RUN, resumed.getDesired());
    assertEquals(TaskStatus.RUNNING, resumed.getStatus());
  }

  @Test
  void pauseOfAPausedTaskChangesNothing() {
    TaskRecord before = seed(1, TaskStatus.PAUSED, Desired.PAUSE);
    assertEquals(before, apply("t1", Action.PAUSE).getTask());
    assertEquals(0, ws.taskChanges().size());
  }

  @Test
  void aTaskBeingStoppedCannotBeResumedButMayBeStoppedAgain() {
    TaskRecord before = seed(1, TaskStatus.RUNNING, Desired.STOP);
    CommandResult resume = apply("t1", Action.RESUME);
    assertEquals(Code.FAILED_PRECONDITION, resume.getCode());
    assertEquals("task t1 is being stopped", resume.getMessage());
    assertEquals(Code.FAILED_PRECONDITION, apply("t1", Action.PAUSE).getCode());
    assertEquals(before, apply("t1", Action.STOP).getTask());
    assertEquals(0, ws.taskChanges().size());
  }
}
