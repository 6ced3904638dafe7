package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.MigrateTasks;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.command.v1.Rejection;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * MigrateTasks: begins moving tasks off their nodes (a drain, the rebalancer), or forces a
 * migration (a drain's deadline). Like a plan, each entry is checked against the state as
 * this batch sees it and skipped, not failed, when it no longer holds; the result lists the
 * skipped ones in {@code rejected}.
 *
 * <ul>
 *   <li>Begin: the task is at the version decided on, wants to run, has a live allocation
 *       and no migration yet. It gets a migration record off that allocation's node (see
 *       {@link Migrations} for the two modes) and {@code last_migrated_at_ms}; a drain of
 *       that node counts it.
 *   <li>Force: whatever of the task still runs on the drained node is stopped now, whatever
 *       the mode; the node's drain records the task as stopped at the deadline.
 * </ul>
 */
final class MigrateTasksApplier implements CommandApplier<MigrateTasks> {

  static final int MAX_MIGRATIONS = 10_000;
  private static final int MAX_REASON_CHARS = 64;

  @Override
  public Optional<Violation> validate(MigrateTasks body) {
    if (body.getMigrationsCount() > MAX_MIGRATIONS) {
      return Violation.of("migrations", body.getMigrationsCount() + " entries, at most " + MAX_MIGRATIONS);
    }
    for (int i = 0; i < body.getMigrationsCount(); i++) {
      Migration m = body.getMigrations(i);
      String at = "migrations[" + i + "].";
      if (Keys.seqOfTaskId(m.getTaskId()) < 0) {
        return Violation.of(at + "task_id", "malformed task id '" + m.getTaskId() + "'");
      }
      if (m.getReason().isEmpty() || m.getReason().length() > MAX_REASON_CHARS) {
        return Violation.of(at + "reason", "1-" + MAX_REASON_CHARS + " characters required");
      }
      if (!m.getToNode().isEmpty()) {
        Optional<Violation> bad = RegisterNodeApplier.checkNodeId(at + "to_node", m.getToNode());
        if (bad.isPresent()) {
          return bad;
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, MigrateTasks body) {
    int begun = 0;
    List<String> skipped = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Migration m : body.getMigrationsList()) {
      Optional<String> why = m.getForce() ? force(ws, m) : begin(ws, m);
      if (why.isPresent()) {
        skipped.add(m.getTaskId() + " " + why.get());
        rejected.add(Rejection.newBuilder().setTaskId(m.getTaskId()).setReason(why.get()).build());
      } else {
        begun++;
      }
    }
    String message = "migrating " + begun
        + (skipped.isEmpty() ? "" : ", skipped " + skipped.size() + ": " + String.join("; ", skipped));
    return Results.ok(message).toBuilder().addAllRejected(rejected).build();
  }

  private static Optional<String> begin(WorkingSet ws, Migration m) {
    long seq = Keys.seqOfTaskId(m.getTaskId());
    TaskRecord task = ws.task(seq);
    Optional<String> why = checkTask(task, m);
    if (why.isPresent()) {
      return why;
    }
    if (task.hasMigration()) {
      return Optional.of("is already migrating off " + task.getMigration().getFromNode());
    }
    String from = task.getAllocation().getNode();
    MigrationRecord migration = MigrationRecord.newBuilder()
        .setFromNode(from)
        .setReason(m.getReason())
        .setStartedAtMs(ws.timeMs())
        .setMakeBeforeBreak(Migrations.makeBeforeBreak(task.getSpec()))
        .setToNode(m.getToNode())
        .build();
    String how = migration.getMakeBeforeBreak()
        ? "the new instance starts elsewhere first, then this one stops"
        : "this instance stops first, then it is placed elsewhere";
    TaskRecord migrating = task.toBuilder()
        .setMigration(migration)
        .setLastMigratedAtMs(ws.timeMs())
        .setMessage("migrating off " + from + " (" + m.getReason() + "): " + how)
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putTask(seq, migrating);
    ws.emit(Events.of(migrating, Events.TASK_MIGRATING, migrating.getMessage()));
    NodeRecord node = ws.node(from);
    if (node != null && node.hasDrain()) {
      ws.putNode(node.toBuilder()
          .setDrain(node.getDrain().toBuilder().setMigrated(node.getDrain().getMigrated() + 1))
          .setUpdatedAtMs(ws.timeMs())
          .setVersion(ws.index())
          .build());
    }
    return Optional.empty();
  }

  private static Optional<String> force(WorkingSet ws, Migration m) {
    long seq = Keys.seqOfTaskId(m.getTaskId());
    TaskRecord task = ws.task(seq);
    Optional<String> why = checkTask(task, m);
    if (why.isPresent()) {
      return why;
    }
    if (task.hasMigration() && task.getMigration().getForced()) {
      return Optional.of("is already being stopped on " + task.getMigration().getFromNode());
    }
    MigrationRecord migration = task.hasMigration()
        ? task.getMigration().toBuilder().setForced(true).build()
        : MigrationRecord.newBuilder()
            .setFromNode(task.getAllocation().getNode())
            .setReason(m.getReason())
            .setStartedAtMs(ws.timeMs())
            .setForced(true)
            .build();
    String from = migration.getFromNode();
    TaskRecord forced = task.toBuilder()
        .setMigration(migration)
        .setMessage("stopping on " + from + " now: " + m.getReason())
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putTask(seq, forced);
    ws.emit(Events.of(forced, Events.TASK_MIGRATING, forced.getMessage()));
    NodeRecord node = ws.node(from);
    if (node != null && node.hasDrain()) {
      ws.putNode(node.toBuilder()
          .setDrain(node.getDrain().toBuilder().addStoppedAtDeadline(task.getId()))
          .setUpdatedAtMs(ws.timeMs())
          .setVersion(ws.index())
          .build());
    }
    return Optional.empty();
  }

  /** Why the task cannot migrate as decided, if so. */
  private static Optional<String> checkTask(TaskRecord task, Migration m) {
    if (task == null) {
      return Optional.of("not found");
    }
    if (task.getVersion() != m.getExpectedVersion()) {
      return Optional.of("version changed (expected " + m.getExpectedVersion() + ", is " + task.getVersion() + ")");
    }
    if (task.getDesired() == Desired.STOP) {
      return Optional.of("is being stopped");
    }
    if (!TaskStates.hasLiveAllocation(task)) {
      return Optional.of("has no live allocation");
    }
    return Optional.empty();
  }
}
