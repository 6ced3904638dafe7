package org.openautoglm.oag.coordinator.state;

/**
 * What a node's live allocations use, by replicated accounting: the sum of the
 * specs of the tasks whose current allocation is on the node and not yet
 * ended (ASSIGNED, ALLOC_RUNNING, BACKOFF or ALLOC_PAUSED), GPUs counted by
 * number. Never from live metrics. Immutable.
 *
 * @param cpuMillis summed {@code spec.cpu_millis}
 * @param memoryMib summed {@code spec.memory_mib}
 * @param gpus summed {@code spec.gpus}
 * @param tasks how many live allocations
 */
public record NodeUsage(int cpuMillis, long memoryMib, int gpus, int tasks) {

  /** A node with nothing on it. */
  public static final NodeUsage NONE = new NodeUsage(0, 0, 0, 0);

  NodeUsage plus(NodeUsage o) {
    return new NodeUsage(cpuMillis + o.cpuMillis, memoryMib + o.memoryMib, gpus + o.gpus, tasks + o.tasks);
  }

  NodeUsage minus(NodeUsage o) {
    return new NodeUsage(cpuMillis - o.cpuMillis, memoryMib - o.memoryMib, gpus - o.gpus, tasks - o.tasks);
  }

  boolean isNone() {
    return cpuMillis == 0 && memoryMib == 0 && gpus == 0 && tasks == 0;
  }
}
