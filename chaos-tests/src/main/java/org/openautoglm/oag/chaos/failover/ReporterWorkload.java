package org.openautoglm.oag.chaos.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The tasks a failover scenario watches: long-running processes that report a tick to the
 * {@link TickSink} every 50 ms with their task id and allocation generation (from {@code
 * OAG_TASK_ID} and {@code OAG_ALLOC_GENERATION}), some {@code exclusive} and some {@code
 * available}. Each asks for a tenth of a core and 16 MiB, so all of them fit on one agent,
 * and never restarts by itself: a run that ends for any reason other than the scenario's
 * faults shows up as a task that is not RUNNING.
 *
 * <p>Immutable once submitted.
 */
public final class ReporterWorkload {
  private final Map<String, FencingMode> tasks;

  private ReporterWorkload(Map<String, FencingMode> tasks) {
    this.tasks = Map.copyOf(tasks);
  }

  /** Submits {@code exclusive} exclusive and {@code available} available reporters named {@code name-…}. */
  public static ReporterWorkload submit(CoordinatorClient client, TickSink sink, String name, int exclusive,
      int available) {
    Map<String, FencingMode> tasks = new TreeMap<>();
    List<String> command = sink.reporterCommand();
    for (int i = 0; i < exclusive + available; i++) {
      FencingMode fencing = i < exclusive ? FencingMode.FENCING_EXCLUSIVE : FencingMode.FENCING_AVAILABLE;
      String mode = fencing == FencingMode.FENCING_EXCLUSIVE ? "exclusive" : "available";
      TaskSpec spec = TaskSpec.command(command.get(0), command.subList(1, command.size()))
          .name(name + "-" + mode + "-" + i).label("fencing", mode).fencing(fencing)
          .cpuMillis(100).memoryMiB(16).stopGrace(Duration.ofSeconds(1));
      tasks.put(client.submit(spec).getId(), fencing);
    }
    return new ReporterWorkload(tasks);
  }

  /** Every task id, sorted. */
  public List<String> ids() {
    return new ArrayList<>(new TreeMap<>(tasks).keySet());
  }

  public FencingMode fencing(String taskId) {
    FencingMode f = tasks.get(taskId);
    if (f == null) {
      throw new IllegalArgumentException("not a task of this workload: " + taskId);
    }
    return f;
  }

  public boolean exclusive(String taskId) {
    return fencing(taskId) == FencingMode.FENCING_EXCLUSIVE;
  }

  /** The exclusive tasks' ids. */
  public Set<String> exclusiveIds() {
    return tasks.entrySet().stream().filter(e -> e.getValue() == FencingMode.FENCING_EXCLUSIVE)
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }

  /** Asks for every task to stop (best effort: the cluster is about to go). */
  public void stopAll(CoordinatorClient client) {
    for (String id : tasks.keySet()) {
      try {
        client.stop(id);
      } catch (RuntimeException e) {
        // the cluster's close ends whatever still runs, by pid
      }
    }
  }
}
