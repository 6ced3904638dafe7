package org.openautoglm.oag.coordinator.migration;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.coordinator.state.Migrations;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * What a drain needs next, from a draining node and the tasks with a live allocation on it.
 * Pure.
 *
 * <ul>
 *   <li>nothing live is left: the drain is finished;
 *   <li>the deadline has passed: every task still there is forced (stopped there now);
 *   <li>else every task whose allocation there runs without a migration begins one, unless
 *       it began one within {@link #RETRY_AFTER_MS} (a make-before-break migration whose new
 *       instance failed is given up, and tried again after that).
 * </ul>
 */
public final class DrainPlanner {
  /** How long after a migration of a task began before a drain begins another. */
  public static final long RETRY_AFTER_MS = 5_000;

  /** The next step: migrations to propose, or the drain's end. */
  public record Step(List<Migration> migrations, boolean finished) {
    static final Step NOTHING = new Step(List.of(), false);
  }

  private DrainPlanner() {}

  public static Step plan(NodeRecord node, List<TaskRecord> tasksOnNode, long nowMs) {
    if (!node.hasDrain()) {
      return Step.NOTHING;
    }
    if (tasksOnNode.isEmpty()) {
      return new Step(List.of(), true);
    }
    long deadline = node.getDrain().getDeadlineMs();
    boolean late = deadline > 0 && nowMs >= deadline;
    List<Migration> out = new ArrayList<>();
    for (TaskRecord task : tasksOnNode) {
      if (task.getDesired() == Desired.STOP || !runsOn(task, node.getId())) {
        continue;
      }
      if (late) {
        if (!task.hasMigration() || !task.getMigration().getForced()) {
          out.add(migration(task, "drain deadline passed", true));
        }
      } else if (!task.hasMigration() && nowMs - task.getLastMigratedAtMs() >= RETRY_AFTER_MS) {
        out.add(migration(task, "drain", false));
      }
    }
    return new Step(out, false);
  }

  private static boolean runsOn(TaskRecord task, String node) {
    for (AllocationRecord a : Migrations.liveAllocations(task)) {
      if (a.getNode().equals(node)) {
        return true;
      }
    }
    return false;
  }

  private static Migration migration(TaskRecord task, String reason, boolean force) {
    return Migration.newBuilder().setTaskId(task.getId()).setExpectedVersion(task.getVersion())
        .setReason(reason).setForce(force).build();
  }
}
