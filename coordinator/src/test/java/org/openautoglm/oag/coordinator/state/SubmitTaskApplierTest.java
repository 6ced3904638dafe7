package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class SubmitTaskApplierTest {

  private final Fixtures.MemoryTasks stored = new Fixtures.MemoryTasks();
  private final TaskViews views = stored.views;
  private final SubmitTaskApplier applier = new SubmitTaskApplier();

  private WorkingSet ws(long index, long timeMs, long nextSeq) {
    return new WorkingSet(views, new DedupeTable(key -> null), index, timeMs, nextSeq);
  }

  @Test
  void submitCreatesAPendingTaskWithTheNextSequence() {
    WorkingSet ws = ws(12, 5_000, 41);
    TaskSpecRecord spec = Fixtures.spec("llm-serve");

    CommandResult result = applier.apply(ws, SubmitTask.newBuilder().setSpec(spec).setStart(true).build());

    assertEquals(Code.OK, result.getCode());
    TaskRecord task = result.getTask();
    assertEquals("t41", task.getId());
    assertEquals(spec, task.getSpec());
    assertEquals(TaskStatus.PENDING, task.getStatus());
    assertEquals(Desired.RUN, task.getDesired());
    assertEquals(5_000, task.getCreatedAtMs());
    assertEquals(5_000, task.getUpdatedAtMs());
    assertEquals(0, task.getFinishedAtMs());
    assertEquals(12, task.getVersion());
    assertEquals("", task.getNode());
    assertEquals(42, ws.nextSeq());
    assertSame(task, ws.task(41));
    assertNull(views.get(41), "nothing is committed before publish");
  }

  @Test
  void createWithoutStartIsCreated() {
    WorkingSet ws = ws(3, 1, 0);
    CommandResult result = applier.apply(ws, SubmitTask.newBuilder().setSpec(Fixtures.spec("a")).build());

    assertEquals(TaskStatus.CREATED, result.getTask().getStatus());
    assertEquals("t1", result.getTask().getId(), "sequence starts at 1 in an empty store");
  }

  @Test
  void consecutiveSubmitsInOneBatchGetConsecutiveIds() {
    WorkingSet ws = ws(3, 1, 7);
    SubmitTask body = SubmitTask.newBuilder().setSpec(Fixtures.spec("a")).setStart(true).build();
    assertEquals("t7", applier.apply(ws, body).getTask().getId());
    assertEquals("t8", applier.apply(ws, body).getTask().getId());
    stored.commit(ws);
    assertEquals(2, views.count());
  }

  @Test
  void validateChecksTheSpec() {
    SubmitTask noCommand = SubmitTask.newBuilder().setSpec(TaskSpecRecord.newBuilder().setName("x")).build();
    assertEquals("spec.command", applier.validate(noCommand).orElseThrow().field());
    assertTrue(applier.validate(SubmitTask.newBuilder().setSpec(Fixtures.spec("ok")).build()).isEmpty());
  }
}
