package org.openautoglm.oag.coordinator.state;

import org.openautoglm.oag.state.v1.TaskStatus;

/** Facts about task statuses. */
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
}
