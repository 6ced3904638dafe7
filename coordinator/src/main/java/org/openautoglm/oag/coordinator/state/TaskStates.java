package org.openautoglm.oag.coordinator.state;

import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** Facts about task and allocation statuses. */
final class TaskStates {

  private TaskStates() {}

  /** SUCCEEDED, FAILED and STOPPED are final: nothing moves a task out of them. */
  static boolean isTerminal(TaskStatus status) {
    return status == TaskStatus.SUCCEEDED
        || status == TaskStatus.FAILED
        || status == TaskStatus.STOPPED;
  }

  /** Not yet placed on a node: stopping such a task needs no agent. */
  static boolean isUnplaced(TaskStatus status) {
    return status == TaskStatus.CREATED
        || status == TaskStatus.PENDING
        || status == TaskStatus.LOST;
  }

  /**
   * An allocation that holds its node's resources and belongs to the node's desired set:
   * placed and not yet ended.
   */
  static boolean isLive(AllocationStatus status) {
    return status == AllocationStatus.ASSIGNED
        || status == AllocationStatus.ALLOC_RUNNING
        || status == AllocationStatus.BACKOFF
        || status == AllocationStatus.ALLOC_PAUSED;
  }

  /** Ended: nothing moves an allocation out of EXITED, KILLED, ALLOC_FAILED or ALLOC_LOST. */
  static boolean isEnded(AllocationStatus status) {
    return status == AllocationStatus.EXITED
        || status == AllocationStatus.KILLED
        || status == AllocationStatus.ALLOC_FAILED
        || status == AllocationStatus.ALLOC_LOST;
  }

  /** Whether {@code task}'s current allocation is live. */
  static boolean hasLiveAllocation(TaskRecord task) {
    return task.hasAllocation() && isLive(task.getAllocation().getStatus());
  }

  /** What one allocation of {@code spec} takes from its node. */
  static NodeUsage demand(TaskSpecRecord spec) {
    return new NodeUsage(spec.getCpuMillis(), spec.getMemoryMib(), spec.getGpus(), 1);
  }
}
