package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

/**
 * Facts about a task being moved off its node on purpose (a drain, the rebalancer), read off
 * its {@link MigrationRecord}. Pure; any thread.
 *
 * <p>A break-before-make migration stops the current allocation; once that is committed the
 * task is PENDING and is placed anywhere but the node it left. A make-before-break migration
 * (an available task with a readiness check) first places a new allocation elsewhere (the
 * current one moves to {@code migration.old} and keeps running); once the new one reports
 * ready the old one is told to stop, and the migration ends when the old one has ended. A
 * drain's deadline forces a migration: whatever still runs on the node is stopped now.
 */
public final class Migrations {

  private Migrations() {}

  /** Whether a migration of a task with {@code spec} starts the new instance before stopping the old. */
  static boolean makeBeforeBreak(TaskSpecRecord spec) {
    return spec.getFencing() == Fencing.AVAILABLE && spec.hasReadiness();
  }

  /** Whether {@code task} waits for a node for the new instance of a make-before-break migration. */
  static boolean needsNewInstance(TaskRecord task) {
    if (!task.hasMigration()) {
      return false;
    }
    MigrationRecord m = task.getMigration();
    return m.getMakeBeforeBreak() && !m.hasOld() && !m.getForced() && task.getDesired() != Desired.STOP
        && TaskStates.hasLiveAllocation(task);
  }

  /** The task's allocations that hold resources on their nodes: the current one and a migration's old one. */
  public static List<AllocationRecord> liveAllocations(TaskRecord task) {
    List<AllocationRecord> live = new ArrayList<>(2);
    if (TaskStates.hasLiveAllocation(task)) {
      live.add(task.getAllocation());
    }
    if (task.hasMigration() && task.getMigration().hasOld()
        && TaskStates.isLive(task.getMigration().getOld().getStatus())) {
      live.add(task.getMigration().getOld());
    }
    return live;
  }

  /** What {@code allocation} of {@code task} should be doing: the task's desire, unless a migration stops it. */
  public static Desired desired(TaskRecord task, AllocationRecord allocation) {
    if (task.getDesired() == Desired.STOP || !task.hasMigration()) {
      return task.getDesired();
    }
    MigrationRecord m = task.getMigration();
    boolean isOld = m.hasOld() && m.getOld().getId().equals(allocation.getId());
    if (isOld) {
      return m.getHandedOverAtMs() > 0 || m.getForced() ? Desired.STOP : task.getDesired();
    }
    boolean stopsHere = !m.getMakeBeforeBreak() || (m.getForced() && !m.hasOld());
    return stopsHere && allocation.getNode().equals(m.getFromNode()) ? Desired.STOP : task.getDesired();
  }

  /** The generation for {@code task}'s next allocation: above every one it has had. */
  static long nextGeneration(TaskRecord task) {
    long highest = task.hasAllocation() ? task.getAllocation().getGeneration() : 0;
    if (task.hasMigration() && task.getMigration().hasOld()) {
      highest = Math.max(highest, task.getMigration().getOld().getGeneration());
    }
    for (AllocationRecord a : task.getPreviousAllocationsList()) {
      highest = Math.max(highest, a.getGeneration());
    }
    return highest + 1;
  }
}
