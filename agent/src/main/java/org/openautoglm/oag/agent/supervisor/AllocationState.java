package org.openautoglm.oag.agent.supervisor;

/**
 * Where one supervised allocation stands on this host, as {@link AllocationSupervisor}
 * reports it. {@link #EXITED}, {@link #KILLED}, {@link #FAILED} and {@link #FENCED} are final.
 */
public enum AllocationState {
  /** Persisted, not launched yet. */
  ASSIGNED,
  /** Its process group runs. */
  RUNNING,
  /**
   * Its process exited and the restart policy granted a restart that is not due yet; no
   * process runs. A separate state (not RUNNING) so that nobody reads a pid that is gone.
   */
  BACKOFF,
  /**
   * Paused on request: the process group is stopped (SIGSTOP), or, if it exited while paused
   * or was between restarts, no process runs and a granted restart waits for a resume.
   */
  PAUSED,
  /** Ended and not restarted, as the policy asks; the exit code says success or failure. */
  EXITED,
  /** Stopped on request; never restarted afterwards. */
  KILLED,
  /** Given up on: the restart budget is spent, or the process could not be launched. */
  FAILED,
  /**
   * Killed by the host's lease keeper because the agent's lease lapsed; never restarted here:
   * only a new generation from the leader runs the task again.
   */
  FENCED;

  /** Whether nothing more happens to the allocation. */
  public boolean isFinal() {
    return this == EXITED || this == KILLED || this == FAILED || this == FENCED;
  }
}
