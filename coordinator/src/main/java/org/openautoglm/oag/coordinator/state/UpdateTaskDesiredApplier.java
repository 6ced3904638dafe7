package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.UpdateTaskDesired;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * UpdateTaskDesired: start, stop, pause or resume a task.
 *
 * <ul>
 *   <li>START moves CREATED to PENDING; a started task is left as it is.
 *   <li>STOP sets desired STOP; a task not on a node yet (CREATED, PENDING,
 *       LOST) is STOPPED at once, otherwise its agent stops it and reports.
 *       Stopping a STOPPED task is a no-op.
 *   <li>PAUSE / RESUME set desired PAUSE / RUN; the status follows when the
 *       agent reports.
 * </ul>
 *
 * A finished task refuses everything else with FAILED_PRECONDITION, and so
 * does a task already being stopped (a stop is not undone by resume). A
 * request that changes nothing succeeds without bumping the version or
 * writing an event. Events: {@code task.<status>} when the status changes
 * ({@code task.pending}, {@code task.stopped}), otherwise {@code task.desired}
 * naming what the agent is asked to do.
 */
final class UpdateTaskDesiredApplier implements CommandApplier<UpdateTaskDesired> {

  static final String STOPPED_MESSAGE = "stopped on request";

  @Override
  public Optional<Violation> validate(UpdateTaskDesired body) {
    if (Keys.seqOfTaskId(body.getTaskId()) < 0) {
      return Violation.of("task_id", "malformed task id '" + body.getTaskId() + "'");
    }
    if (body.getAction() == Action.ACTION_UNSPECIFIED || body.getAction() == Action.UNRECOGNIZED) {
      return Violation.of("action", "must be set to START, STOP, PAUSE or RESUME");
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, UpdateTaskDesired body) {
    String id = body.getTaskId();
    long seq = Keys.seqOfTaskId(id);
    TaskRecord task = ws.task(seq);
    if (task == null) {
      return Results.notFound("task " + id + " not found");
    }
    Action action = body.getAction();
    TaskStatus status = task.getStatus();
    if (TaskStates.isTerminal(status)) {
      if (action == Action.STOP && status == TaskStatus.STOPPED) {
        return Results.ok(task);
      }
      return Results.failedPrecondition("task " + id + " is already " + status, task);
    }
    if (task.getDesired() == Desired.STOP && action != Action.STOP) {
      return Results.failedPrecondition("task " + id + " is being stopped", task);
    }
    TaskRecord changed = desiredAfter(task, action, ws.timeMs());
    if (changed.equals(task)) {
      return Results.ok(task);
    }
    changed = changed.toBuilder().setUpdatedAtMs(ws.timeMs()).setVersion(ws.index()).build();
    ws.putTask(seq, changed);
    if (changed.getStatus() != status) {
      String why = changed.getStatus() == TaskStatus.STOPPED ? STOPPED_MESSAGE : "started";
      ws.emit(Events.of(changed, Events.task(changed.getStatus()), why));
    } else {
      ws.emit(Events.of(changed, Events.TASK_DESIRED, "desired " + changed.getDesired()));
    }
    return Results.ok(changed);
  }

  private static TaskRecord desiredAfter(TaskRecord task, Action action, long timeMs) {
    TaskRecord.Builder next = task.toBuilder();
    switch (action) {
      case START -> {
        if (task.getStatus() == TaskStatus.CREATED) {
          next.setStatus(TaskStatus.PENDING);
        }
      }
      case STOP -> {
        next.setDesired(Desired.STOP);
        if (TaskStates.isUnplaced(task.getStatus())) {
          next.setStatus(TaskStatus.STOPPED).setFinishedAtMs(timeMs).setMessage(STOPPED_MESSAGE);
        }
      }
      case PAUSE -> next.setDesired(Desired.PAUSE);
      case RESUME -> next.setDesired(Desired.RUN);
      default -> throw new IllegalArgumentException("unvalidated action " + action);
    }
    return next.build();
  }
}
