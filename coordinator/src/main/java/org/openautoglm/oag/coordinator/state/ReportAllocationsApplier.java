package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.command.v1.AllocationReport;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.ReportAllocations;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * ReportAllocations: what one node's agent observed of its allocations. A
 * report applies only to the task's current allocation (same id and
 * generation) on the reporting node, while the task is not finished and the
 * allocation has not ended; anything else is stale (an old generation, another
 * node's, a report overtaken by a fencing decision) and skipped.
 *
 * <p>The allocation takes the reported status, pid, exit, restarts and reason
 * ({@code started_at_ms} at its first ALLOC_RUNNING, {@code ended_at_ms} when it
 * ends); the task's status follows:
 *
 * <pre>
 * ASSIGNED -> SCHEDULED        ALLOC_RUNNING -> RUNNING     BACKOFF -> SCHEDULED ("restarting: reason")
 * ALLOC_PAUSED -> PAUSED       EXITED 0 -> SUCCEEDED        EXITED n -> FAILED ("exited with code n")
 * KILLED -> STOPPED if desired STOP, else FAILED (reason)
 * ALLOC_LOST (the host's keeper fenced it) -> STOPPED if desired STOP, else PENDING again
 * ALLOC_FAILED -> PENDING again, to be placed on another node, while the task has been
 *                 rescheduled fewer than K times (the failover settings); then FAILED (reason)
 * </pre>
 *
 * During a migration (see {@link Migrations}):
 *
 * <ul>
 *   <li>an allocation a migration stopped (KILLED or ALLOC_LOST) leaves the task PENDING, to
 *       be placed anywhere but the node it left, whatever its desire;
 *   <li>while a make-before-break migration's old allocation runs, the task keeps its status
 *       whatever its new one reports; once the new one is RUNNING and ready, the migration
 *       hands over ({@code handed_over_at_ms}: the old one is told to stop). The old
 *       allocation's own reports update {@code migration.old}; once it has ended it joins the
 *       history and the migration is over ({@code task.migrated});
 *   <li>a new instance that ends before the handover gives the migration up: the old
 *       allocation is the current one again ({@code task.migration_failed}).
 * </ul>
 *
 * A finished task gets {@code finished_at_ms}. A report that matches what is
 * stored changes nothing: no version bump, no event. The result is OK, its
 * message counting what was applied and naming why each skip was skipped.
 *
 * <p>The command's {@code boot_id} is not checked: a restarted agent re-adopts
 * its predecessor's processes, so its reports about them are just as good;
 * what fences a stale report is the allocation's generation and node.
 */
final class ReportAllocationsApplier implements CommandApplier<ReportAllocations> {

  static final int MAX_REPORTS = 10_000;

  @Override
  public Optional<Violation> validate(ReportAllocations body) {
    Optional<Violation> bad = RegisterNodeApplier.checkNodeId("node", body.getNode());
    if (bad.isPresent()) {
      return bad;
    }
    if (body.getReportsCount() > MAX_REPORTS) {
      return Violation.of("reports", body.getReportsCount() + " entries, at most " + MAX_REPORTS);
    }
    for (int i = 0; i < body.getReportsCount(); i++) {
      AllocationReport r = body.getReports(i);
      String at = "reports[" + i + "].";
      if (Keys.seqOfTaskId(r.getTaskId()) < 0) {
        return Violation.of(at + "task_id", "malformed task id '" + r.getTaskId() + "'");
      }
      if (r.getAllocationId().isEmpty()) {
        return Violation.of(at + "allocation_id", "required");
      }
      if (r.getGeneration() == 0) {
        return Violation.of(at + "generation", "must be positive");
      }
      if (r.getStatus() == AllocationStatus.ALLOCATION_STATUS_UNSPECIFIED
          || r.getStatus() == AllocationStatus.UNRECOGNIZED) {
        return Violation.of(at + "status", "unknown allocation status " + r.getStatusValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, ReportAllocations body) {
    int applied = 0;
    int unchanged = 0;
    List<String> skipped = new ArrayList<>();
    for (AllocationReport report : body.getReportsList()) {
      Outcome outcome = applyOne(ws, body.getNode(), report);
      switch (outcome.kind()) {
        case APPLIED -> applied++;
        case UNCHANGED -> unchanged++;
        case SKIPPED -> skipped.add(report.getTaskId() + " " + outcome.why());
      }
    }
    String message = "applied " + applied + ", unchanged " + unchanged
        + (skipped.isEmpty() ? "" : ", skipped " + skipped.size() + ": " + String.join("; ", skipped));
    return Results.ok(message);
  }

  enum Kind { APPLIED, UNCHANGED, SKIPPED }

  record Outcome(Kind kind, String why) {
    static final Outcome APPLIED = new Outcome(Kind.APPLIED, "");
    static final Outcome UNCHANGED = new Outcome(Kind.UNCHANGED, "");

    static Outcome skipped(String why) {
      return new Outcome(Kind.SKIPPED, why);
    }
  }

  static Outcome applyOne(WorkingSet ws, String node, AllocationReport report) {
    long seq = Keys.seqOfTaskId(report.getTaskId());
    TaskRecord task = ws.task(seq);
    if (task == null) {
      return Outcome.skipped("not found");
    }
    if (TaskStates.isTerminal(task.getStatus())) {
      return Outcome.skipped("is already " + task.getStatus());
    }
    if (!task.hasAllocation()) {
      return Outcome.skipped("has no allocation");
    }
    if (task.hasMigration() && task.getMigration().hasOld()
        && task.getMigration().getOld().getId().equals(report.getAllocationId())) {
      return applyToOld(ws, seq, task, node, report);
    }
    AllocationRecord current = task.getAllocation();
    if (!current.getId().equals(report.getAllocationId()) || current.getGeneration() != report.getGeneration()) {
      return Outcome.skipped("stale: allocation " + report.getAllocationId() + " generation "
          + report.getGeneration() + ", current " + current.getId() + " generation " + current.getGeneration());
    }
    if (!current.getNode().equals(node)) {
      return Outcome.skipped("allocation " + current.getId() + " is on " + current.getNode() + ", not " + node);
    }
    AllocationRecord allocation = allocationAfter(current, report, ws.timeMs());
    TaskStatus status = statusAfter(task, report);
    String message = messageAfter(task, report, status);
    int reschedules = task.getReschedules();
    if (status == TaskStatus.FAILED && report.getStatus() == AllocationStatus.ALLOC_FAILED
        && task.getDesired() != Desired.STOP && !TaskStates.isEnded(current.getStatus())) {
      int max = ws.failover().maxReschedules();
      if (reschedules < max) {
        reschedules++;
        status = TaskStatus.PENDING;
        message = message + " on " + node + "; placing it elsewhere (reschedule " + reschedules + " of " + max + ")";
      } else {
        message = message + " on " + node + "; rescheduled " + max + " times, giving up";
      }
    }
    if (allocation.equals(current) && status == task.getStatus() && message.equals(task.getMessage())) {
      return Outcome.UNCHANGED;
    }
    if (TaskStates.isEnded(current.getStatus())) {
      return Outcome.skipped("allocation " + current.getId() + " has already ended "
          + Events.allocationState(current.getStatus()));
    }
    TaskRecord.Builder next = task.toBuilder()
        .setAllocation(allocation)
        .setStatus(status)
        .setMessage(message)
        .setReschedules(reschedules)
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index());
    String migrationEvent = task.hasMigration() ? migrate(task, allocation, next, ws.timeMs()) : null;
    status = next.getStatus();
    message = next.getMessage();
    if (status == TaskStatus.PENDING) {
      next.setNode("");
    }
    if (TaskStates.isTerminal(status)) {
      next.setFinishedAtMs(ws.timeMs());
    }
    TaskRecord updated = next.build();
    if (updated.toBuilder().setVersion(task.getVersion()).setUpdatedAtMs(task.getUpdatedAtMs()).build().equals(task)) {
      return Outcome.UNCHANGED;
    }
    ws.putTask(seq, updated);
    if (allocation.getStatus() != current.getStatus() || allocation.getRestarts() != current.getRestarts()) {
      ws.emit(Events.of(updated, Events.allocation(allocation.getStatus()), allocationMessage(allocation))
          .setNode(allocation.getNode()).setAllocationId(allocation.getId()));
    }
    if (status != task.getStatus()) {
      ws.emit(Events.of(updated, Events.task(status), message));
    }
    if (migrationEvent != null) {
      ws.emit(Events.of(updated, migrationEvent, message));
    }
    return Outcome.APPLIED;
  }

  /**
   * Adjusts {@code next} (the task after its current allocation became {@code allocation})
   * for the task's migration; the event type to emit, or null.
   */
  private static String migrate(TaskRecord task, AllocationRecord allocation, TaskRecord.Builder next, long nowMs) {
    var m = task.getMigration();
    boolean ended = TaskStates.isEnded(allocation.getStatus());
    if (m.hasOld() && m.getHandedOverAtMs() == 0) {
      if (ended) {
        // The new instance did not make it: the old one, still running, is the task again.
        TaskRecord.Builder history = TaskStates.withAllocation(task.toBuilder().setAllocation(allocation).build(),
            m.getOld());
        next.setAllocation(m.getOld())
            .clearPreviousAllocations()
            .addAllPreviousAllocations(history.getPreviousAllocationsList())
            .setPreviousAllocationsDropped(history.getPreviousAllocationsDropped())
            .clearMigration()
            .setNode(m.getOld().getNode())
            .setStatus(task.getStatus())
            .setMessage("migration off " + m.getFromNode() + " given up: the new instance on "
                + allocation.getNode() + " ended " + Events.allocationState(allocation.getStatus())
                + (allocation.getReason().isEmpty() ? "" : " (" + allocation.getReason() + ")"));
        return Events.TASK_MIGRATION_FAILED;
      }
      next.setStatus(task.getStatus());
      if (allocation.getStatus() == AllocationStatus.ALLOC_RUNNING && allocation.getReady()) {
        next.setMigration(m.toBuilder().setHandedOverAtMs(nowMs))
            .setStatus(TaskStatus.RUNNING)
            .setMessage("migrating off " + m.getFromNode() + ": the new instance on " + allocation.getNode()
                + " is ready; stopping the old one");
        return Events.TASK_HANDOVER;
      }
      next.setMessage(task.getMessage());
      return null;
    }
    if (m.hasOld()) {
      return null;   // handed over: the task follows its new allocation; the old one is stopping
    }
    boolean stoppedByMigration = Migrations.desired(task, task.getAllocation()) == Desired.STOP
        && (allocation.getStatus() == AllocationStatus.KILLED || allocation.getStatus() == AllocationStatus.ALLOC_LOST);
    if (stoppedByMigration) {
      next.setStatus(TaskStatus.PENDING)
          .setNode("")
          .clearFinishedAtMs()
          .setMessage("migrating off " + m.getFromNode() + " (" + m.getReason() + "): stopped there; waiting for a node");
      return null;
    }
    if (ended) {
      next.clearMigration();   // it ended by itself: nothing left to move
    }
    return null;
  }

  /** A report on the old allocation of a make-before-break migration. */
  private static Outcome applyToOld(WorkingSet ws, long seq, TaskRecord task, String node, AllocationReport report) {
    var m = task.getMigration();
    AllocationRecord old = m.getOld();
    if (old.getGeneration() != report.getGeneration() || !old.getNode().equals(node)) {
      return Outcome.skipped("stale: allocation " + report.getAllocationId() + " generation "
          + report.getGeneration() + " on " + node);
    }
    if (TaskStates.isEnded(old.getStatus())) {
      return Outcome.skipped("allocation " + old.getId() + " has already ended "
          + Events.allocationState(old.getStatus()));
    }
    AllocationRecord after = allocationAfter(old, report, ws.timeMs());
    if (after.equals(old)) {
      return Outcome.UNCHANGED;
    }
    TaskRecord.Builder next = task.toBuilder().setUpdatedAtMs(ws.timeMs()).setVersion(ws.index());
    String event = null;
    if (TaskStates.isEnded(after.getStatus())) {
      // The migration is over: the old allocation joins the history, before the new one.
      TaskRecord moved = TaskStates.withAllocation(task.toBuilder().setAllocation(after).build(), task.getAllocation())
          .clearMigration()
          .build();
      next.clearMigration()
          .clearPreviousAllocations()
          .addAllPreviousAllocations(moved.getPreviousAllocationsList())
          .setPreviousAllocationsDropped(moved.getPreviousAllocationsDropped())
          .setMessage("moved off " + m.getFromNode() + " to " + task.getAllocation().getNode()
              + " (" + m.getReason() + ")");
      event = Events.TASK_MIGRATED;
    } else {
      next.setMigration(m.toBuilder().setOld(after));
    }
    TaskRecord updated = next.build();
    ws.putTask(seq, updated);
    if (after.getStatus() != old.getStatus()) {
      ws.emit(Events.of(updated, Events.allocation(after.getStatus()), allocationMessage(after))
          .setAllocationId(after.getId()).setNode(after.getNode()));
    }
    if (event != null) {
      ws.emit(Events.of(updated, event, updated.getMessage()));
    }
    return Outcome.APPLIED;
  }

  private static AllocationRecord allocationAfter(AllocationRecord current, AllocationReport r, long nowMs) {
    AllocationRecord.Builder next = current.toBuilder()
        .setStatus(r.getStatus())
        .setPid(r.getPid())
        .setExited(r.getExited())
        .setExitCode(r.getExitCode())
        .setRestarts(r.getRestarts())
        .setReason(r.getReason())
        .setReady(r.getStatus() == AllocationStatus.ALLOC_RUNNING && r.getReady());
    if (r.getStatus() == AllocationStatus.ALLOC_RUNNING && current.getStartedAtMs() == 0) {
      next.setStartedAtMs(nowMs);
    }
    if (TaskStates.isEnded(r.getStatus()) && current.getEndedAtMs() == 0) {
      next.setEndedAtMs(nowMs);
    }
    return next.build();
  }

  private static TaskStatus statusAfter(TaskRecord task, AllocationReport r) {
    return switch (r.getStatus()) {
      case ASSIGNED, BACKOFF -> TaskStatus.SCHEDULED;
      case ALLOC_RUNNING -> TaskStatus.RUNNING;
      case ALLOC_PAUSED -> TaskStatus.PAUSED;
      case EXITED -> r.getExitCode() == 0 ? TaskStatus.SUCCEEDED : TaskStatus.FAILED;
      case KILLED -> task.getDesired() == Desired.STOP ? TaskStatus.STOPPED : TaskStatus.FAILED;
      case ALLOC_FAILED -> TaskStatus.FAILED;
      case ALLOC_LOST -> task.getDesired() == Desired.STOP ? TaskStatus.STOPPED : TaskStatus.PENDING;
      case ALLOCATION_STATUS_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("unvalidated status " + r.getStatus());
    };
  }

  /** Why the task is in {@code status}; the current message when the status does not change. */
  private static String messageAfter(TaskRecord task, AllocationReport r, TaskStatus status) {
    String node = task.getAllocation().getNode();
    String reason = r.getReason();
    return switch (r.getStatus()) {
      case ASSIGNED -> status == task.getStatus() ? task.getMessage() : "placed on " + node;
      case ALLOC_RUNNING -> "running on " + node;
      case BACKOFF -> "restarting: " + (reason.isEmpty() ? exit(r) : reason);
      case ALLOC_PAUSED -> "paused on " + node;
      case EXITED -> "exited with code " + r.getExitCode();
      case KILLED -> status == TaskStatus.STOPPED
          ? UpdateTaskDesiredApplier.STOPPED_MESSAGE : orDefault(reason, "killed");
      case ALLOC_FAILED -> orDefault(reason, "failed");
      case ALLOC_LOST -> status == TaskStatus.STOPPED ? UpdateTaskDesiredApplier.STOPPED_MESSAGE
          : "lost on " + node + " (" + orDefault(reason, "fenced") + "); placing it elsewhere";
      case ALLOCATION_STATUS_UNSPECIFIED, UNRECOGNIZED -> task.getMessage();
    };
  }

  private static String allocationMessage(AllocationRecord a) {
    String what = Events.allocationState(a.getStatus()) + (a.getExited() ? ", exit code " + a.getExitCode() : "")
        + (a.getRestarts() > 0 ? ", restarts " + a.getRestarts() : "");
    return a.getReason().isEmpty() ? what : what + ": " + a.getReason();
  }

  private static String exit(AllocationReport r) {
    return r.getExited() ? "exited with code " + r.getExitCode() : "exited";
  }

  private static String orDefault(String s, String otherwise) {
    return s.isEmpty() ? otherwise : s;
  }
}
