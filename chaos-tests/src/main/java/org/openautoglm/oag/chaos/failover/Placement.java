package org.openautoglm.oag.chaos.failover;

import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;

/**
 * Where one task runs according to the replicated state: its state and its current (or last)
 * allocation. Times are the coordinators' replicated (leader-stamped, wall-clock) times.
 *
 * @param node the current allocation's node; empty before placement
 * @param generation the current allocation's generation; 0 before placement
 * @param startedAtMs when the current allocation was first reported RUNNING; 0 if never
 */
public record Placement(String taskId, TaskState state, String node, long generation, String allocationId,
    AllocationState allocationState, long startedAtMs) {

  public static Placement of(Task t) {
    return new Placement(t.getId(), t.getState(), t.hasAllocation() ? t.getAllocation().getNode() : "",
        t.hasAllocation() ? t.getAllocation().getGeneration() : 0,
        t.hasAllocation() ? t.getAllocation().getId() : "",
        t.hasAllocation() ? t.getAllocation().getState() : AllocationState.ALLOCATION_STATE_UNSPECIFIED,
        t.hasAllocation() ? t.getAllocation().getStartedAtMs() : 0);
  }

  /** RUNNING on {@code node}. */
  public boolean runningOn(String node) {
    return state == TaskState.RUNNING && allocationState == AllocationState.ALLOCATION_RUNNING
        && this.node.equals(node);
  }

  /** RUNNING on another node than {@code node}, in a generation after {@code generation}. */
  public boolean runningElsewhere(String node, long generation) {
    return state == TaskState.RUNNING && allocationState == AllocationState.ALLOCATION_RUNNING
        && !this.node.equals(node) && this.generation > generation && startedAtMs > 0;
  }

  @Override
  public String toString() {
    return taskId + " " + state + " gen " + generation + " on " + (node.isEmpty() ? "-" : node)
        + " (" + allocationState + ")";
  }
}
