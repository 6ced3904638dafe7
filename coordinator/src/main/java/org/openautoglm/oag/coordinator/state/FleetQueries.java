package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * The reads the leader's agent sessions and placement make, over the task views: a node's
 * desired set and the pending queue. Every record reached through an index is re-checked, as
 * {@link TaskViews} asks. Stateless; the caller holds the store's read lock.
 */
final class FleetQueries {
  private FleetQueries() {}

  /**
   * Tasks with a live allocation on {@code node} (the current one, or a migration's old one),
   * in creation order.
   */
  static List<TaskRecord> tasksOnNode(TaskViews tasks, String node) {
    List<TaskRecord> out = new ArrayList<>();
    for (long seq : tasks.onNode(node)) {
      if (!onNode(tasks.entry(seq), node)) {
        continue;
      }
      TaskRecord task = tasks.get(seq);  // re-checked: it may have changed since the entry was read
      if (task != null && Migrations.liveAllocations(task).stream().anyMatch(a -> a.getNode().equals(node))) {
        out.add(task);
      }
    }
    return out;
  }

  /**
   * The tasks {@link #tasksOnNode} would read, as their views have them, without reading a
   * record: a caller that keeps what it built from each version reads only the changed ones.
   */
  static List<TaskVersion> versionsOnNode(TaskViews tasks, String node) {
    List<TaskVersion> out = new ArrayList<>();
    for (long seq : tasks.onNode(node)) {
      TaskViews.Entry entry = tasks.entry(seq);
      if (onNode(entry, node)) {
        out.add(new TaskVersion(Keys.taskId(seq), entry.version()));
      }
    }
    return out;
  }

  private static boolean onNode(TaskViews.Entry entry, String node) {
    return entry != null && ((entry.load() != null && entry.load().node().equals(node))
        || entry.oldNode().equals(node));
  }

  /**
   * Up to {@code limit} tasks waiting for a node (PENDING, or a migration's new instance) in
   * placement order (higher priority first, then first come), after {@code after} in that
   * order (null: from the start).
   */
  static List<TaskRecord> pendingTasks(TaskViews tasks, TaskRecord after, int limit) {
    List<TaskRecord> out = new ArrayList<>();
    var queue = after == null ? tasks.queue()
        : tasks.queue().tailSet(new TaskViews.Queued(after.getSpec().getPriority(), Keys.seqOfTaskId(after.getId())),
            false);
    for (var it = queue.iterator(); it.hasNext() && out.size() < limit; ) {
      TaskRecord task = tasks.get(it.next().seq());
      if (task != null && (task.getStatus() == TaskStatus.PENDING || Migrations.needsNewInstance(task))) {
        out.add(task);
      }
    }
    return out;
  }
}
