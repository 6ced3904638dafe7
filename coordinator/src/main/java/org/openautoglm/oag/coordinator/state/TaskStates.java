package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.state.v1.AllocationRecord;
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

  /** How many earlier allocations a task keeps; older ones are only counted. */
  static final int MAX_PREVIOUS_ALLOCATIONS = 10;

  /**
   * {@code task} with {@code next} as its current allocation; the one it replaces joins the
   * history (the last {@link #MAX_PREVIOUS_ALLOCATIONS} kept, older ones counted as dropped).
   */
  static TaskRecord.Builder withAllocation(TaskRecord task, AllocationRecord next) {
    TaskRecord.Builder b = task.toBuilder().setAllocation(next);
    if (task.hasAllocation()) {
      List<AllocationRecord> history = new ArrayList<>(task.getPreviousAllocationsList());
      history.add(task.getAllocation());
      int drop = Math.max(0, history.size() - MAX_PREVIOUS_ALLOCATIONS);
      b.clearPreviousAllocations()
          .addAllPreviousAllocations(history.subList(drop, history.size()))
          .setPreviousAllocationsDropped(task.getPreviousAllocationsDropped() + drop);
    }
    return b;
  }

  /** What one allocation of {@code spec} takes from its node. */
  static NodeUsage demand(TaskSpecRecord spec) {
    return new NodeUsage(spec.getCpuMillis(), spec.getMemoryMib(), spec.getGpus(), 1);
  }
}
