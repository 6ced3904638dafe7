package org.openautoglm.oag.coordinator.state;

import java.util.Locale;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * The event types of the event log and builders of its records, so every
 * applier names them alike. Types are {@code task.<status>} (lower case, e.g.
 * {@code task.pending}, {@code task.failed}), {@code allocation.<state>}
 * ({@code allocation.assigned}, {@code .running}, {@code .backoff},
 * {@code .paused}, {@code .exited}, {@code .killed}, {@code .failed},
 * {@code .lost}), {@code task.created} and {@code task.submitted} for a new
 * task, {@code task.desired} for a stop, pause or resume request that the
 * agent carries out, and {@code node.registered}, {@code node.restarted},
 * {@code node.updated}, {@code node.cordoned}, {@code node.uncordoned}, {@code node.down}, and
 * {@code cluster.settings}, {@code cluster.storm_guard_on}, {@code cluster.storm_guard_off}.
 */
final class Events {

  static final String TASK_CREATED = "task.created";
  static final String TASK_SUBMITTED = "task.submitted";
  static final String TASK_DESIRED = "task.desired";
  static final String NODE_REGISTERED = "node.registered";
  static final String NODE_RESTARTED = "node.restarted";
  static final String NODE_UPDATED = "node.updated";
  static final String NODE_CORDONED = "node.cordoned";
  static final String NODE_UNCORDONED = "node.uncordoned";
  static final String NODE_DOWN = "node.down";
  static final String NODE_DRAINING = "node.draining";
  static final String NODE_DRAINED = "node.drained";
  static final String TASK_MIGRATING = "task.migrating";
  static final String TASK_HANDOVER = "task.handover";
  static final String TASK_MIGRATED = "task.migrated";
  static final String TASK_MIGRATION_FAILED = "task.migration_failed";
  static final String CLUSTER_SETTINGS = "cluster.settings";
  static final String STORM_GUARD_ON = "cluster.storm_guard_on";
  static final String STORM_GUARD_OFF = "cluster.storm_guard_off";

  private Events() {}

  static String task(TaskStatus status) {
    return "task." + status.name().toLowerCase(Locale.ROOT);
  }

  static String allocation(AllocationStatus status) {
    return "allocation." + allocationState(status);
  }

  /** An allocation status as users read it: {@code running}, not {@code alloc_running}. */
  static String allocationState(AllocationStatus status) {
    return switch (status) {
      case ASSIGNED -> "assigned";
      case ALLOC_RUNNING -> "running";
      case BACKOFF -> "backoff";
      case ALLOC_PAUSED -> "paused";
      case EXITED -> "exited";
      case KILLED -> "killed";
      case ALLOC_FAILED -> "failed";
      case ALLOC_LOST -> "lost";
      case ALLOCATION_STATUS_UNSPECIFIED, UNRECOGNIZED -> "unknown";
    };
  }

  /** An event about {@code task}, naming its current allocation and node when it has them. */
  static EventRecord.Builder of(TaskRecord task, String type, String message) {
    EventRecord.Builder e = EventRecord.newBuilder()
        .setType(type)
        .setTaskId(task.getId())
        .setNode(task.getNode())
        .setMessage(message);
    if (task.hasAllocation()) {
      e.setAllocationId(task.getAllocation().getId());
    }
    return e;
  }

  static EventRecord.Builder ofCluster(String type, String message) {
    return EventRecord.newBuilder().setType(type).setMessage(message);
  }

  static EventRecord.Builder ofNode(String node, String type, String message) {
    return EventRecord.newBuilder().setType(type).setNode(node).setMessage(message);
  }
}
