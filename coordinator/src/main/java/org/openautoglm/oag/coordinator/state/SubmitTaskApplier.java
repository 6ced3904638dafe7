package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * SubmitTask: stores a new task with the next sequence number, PENDING when
 * {@code start} is set (submit, event {@code task.submitted}) or CREATED
 * otherwise (create, event {@code task.created}).
 */
final class SubmitTaskApplier implements CommandApplier<SubmitTask> {

  @Override
  public Optional<Violation> validate(SubmitTask body) {
    return TaskSpecRules.check(body.getSpec());
  }

  @Override
  public CommandResult apply(WorkingSet ws, SubmitTask body) {
    long seq = ws.allocateSeq();
    TaskRecord task = TaskRecord.newBuilder()
        .setId(Keys.taskId(seq))
        .setSpec(body.getSpec())
        .setStatus(body.getStart() ? TaskStatus.PENDING : TaskStatus.CREATED)
        .setDesired(Desired.RUN)
        .setCreatedAtMs(ws.timeMs())
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putTask(seq, task);
    ws.emit(body.getStart()
        ? Events.of(task, Events.TASK_SUBMITTED, "submitted; pending placement")
        : Events.of(task, Events.TASK_CREATED, "created; waiting for start"));
    return Results.ok(task);
  }
}
