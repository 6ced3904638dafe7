package org.openautoglm.oag.coordinator.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.coordinator.state.TaskVersion;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * What one node's desired set was last built from: each task's entries with the task version
 * they came from. A push reads and rebuilds only the tasks whose version moved, and knows
 * without comparing the whole set whether anything the agent sees changed. Without it a push
 * read and rebuilt every task on the node, which for a node with a hundred tasks cost a
 * hundred record reads per placement on it. The leader keeps one per node across the node's
 * sessions ({@link Fleet#desired}), so an agent that reconnects costs no rebuild either.
 * Thread-safe.
 */
final class DesiredCache {
  private record Built(long version, List<DesiredAllocation> entries) {}

  private final String node;
  private Map<String, Built> byTask = Map.of();   // guarded by this

  DesiredCache(String node) {
    this.node = node;
  }

  /**
   * The node's entries for the {@code live} tasks, in their order, or null when they are the
   * ones the previous call returned and {@code always} is false (a new session must get them).
   *
   * @param read the stored task by id, or null when it is gone
   */
  synchronized List<DesiredAllocation> refresh(List<TaskVersion> live, Function<String, TaskRecord> read,
      boolean always) {
    Map<String, Built> next = new HashMap<>(live.size() * 2);
    boolean changed = always || live.size() != byTask.size();
    List<DesiredAllocation> entries = new ArrayList<>(live.size());
    for (TaskVersion v : live) {
      Built b = byTask.get(v.id());
      if (b == null || b.version() != v.version()) {
        TaskRecord task = read.apply(v.id());
        Built now = task == null ? new Built(v.version(), List.of())
            : new Built(task.getVersion(), DesiredSets.onNode(node, task));
        changed |= b == null || !b.entries().equals(now.entries());
        b = now;
      }
      next.put(v.id(), b);
      entries.addAll(b.entries());
    }
    byTask = next;
    return changed ? entries : null;
  }
}
