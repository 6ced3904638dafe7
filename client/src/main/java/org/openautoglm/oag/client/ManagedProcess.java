package org.openautoglm.oag.client;

import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;

/**
 * A handle to one task. Each action is one client call (new request id, retried under the
 * client's budget) and updates the last seen {@link #task()}; {@link #status()} reads the
 * current state linearizably. Thread-safe; the snapshot is whichever call finished last.
 */
public final class ManagedProcess {
  private final CoordinatorClient client;
  private final String id;
  private volatile Task last;

  ManagedProcess(CoordinatorClient client, Task task) {
    this.client = client;
    this.id = task.getId();
    this.last = task;
  }

  public String id() {
    return id;
  }

  /** The task as of the last call on this handle; no network. */
  public Task task() {
    return last;
  }

  public ManagedProcess start() {
    last = client.start(id);
    return this;
  }

  /** Asks for the process to stop (SIGTERM, then SIGKILL after the grace period). */
  public ManagedProcess stop() {
    last = client.stop(id);
    return this;
  }

  public ManagedProcess pause() {
    last = client.pause(id);
    return this;
  }

  public ManagedProcess resume() {
    last = client.resume(id);
    return this;
  }

  /** Reads the task again (linearizable) and returns its observed state. */
  public TaskState status() {
    return refresh().getState();
  }

  public Task refresh() {
    last = client.get(id);
    return last;
  }

  @Override
  public String toString() {
    return "ManagedProcess[" + id + " " + last.getState() + "]";
  }
}
