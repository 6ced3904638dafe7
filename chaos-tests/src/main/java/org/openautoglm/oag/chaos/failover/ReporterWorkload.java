package org.openautoglm.oag.chaos.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The tasks a failover scenario watches: long-running processes that report a tick to the
 * {@link TickSink} every 50 ms with their task id and allocation generation (from {@code
 * OAG_TASK_ID} and {@code OAG_ALLOC_GENERATION}), some {@code exclusive} and some {@code
 * available}. Each asks for a tenth of a core and 16 MiB, so all of them fit on one agent,
 * and never restarts by itself: a run that ends for any reason other than the scenario's
 * faults shows up as a task that is not RUNNING.
 *
 * <p>A {@link #readinessGated} workload's available tasks have a readiness check: each run
 * creates a {@code ready} file in its working directory (the allocation's folder) once its
 * first tick is written, and the agent checks {@code test -f ready} every {@link
 * #READINESS_PERIOD}. A drain moves such tasks make-before-break, the others break-before-make.
 *
 * <p>The active tasks are one batch. Failovers may leave a batch spread so that no agent
 * runs both modes; {@link #gatherOn} then replaces it with a fresh batch placed on one agent
 * and stops the old one. Every task ever submitted keeps its mode here, so the fencing check
 * covers them all ({@link #exclusiveIds()}). Thread-safe.
 */
public final class ReporterWorkload {
  /** How often the agent checks a readiness-gated run's {@code ready} file. */
  public static final long READINESS_PERIOD_MS = 250;
  public static final Duration READINESS_PERIOD = Duration.ofMillis(READINESS_PERIOD_MS);
  private static final String READY_FILE = "ready";

  private final CoordinatorClient client;
  private final TickSink sink;
  private final String name;
  private final int exclusive;
  private final int available;
  private final boolean readiness;
  /** Every task ever submitted, with its mode. */
  private final Map<String, FencingMode> all = new TreeMap<>();
  private List<String> active = List.of();
  private int batches;

  private ReporterWorkload(CoordinatorClient client, TickSink sink, String name, int exclusive, int available,
      boolean readiness) {
    this.client = client;
    this.sink = sink;
    this.name = name;
    this.exclusive = exclusive;
    this.available = available;
    this.readiness = readiness;
  }

  /** Submits {@code exclusive} exclusive and {@code available} available reporters named {@code name-…}. */
  public static ReporterWorkload submit(CoordinatorClient client, TickSink sink, String name, int exclusive,
      int available) {
    ReporterWorkload w = new ReporterWorkload(client, sink, name, exclusive, available, false);
    w.active = w.submitBatch();
    return w;
  }

  /**
   * A workload whose available reporters have a readiness check (see the class comment),
   * with nothing submitted yet: its first batch is submitted by {@link #gatherOn}.
   */
  public static ReporterWorkload readinessGated(CoordinatorClient client, TickSink sink, String name,
      int exclusive, int available) {
    return new ReporterWorkload(client, sink, name, exclusive, available, true);
  }

  /**
   * Replaces the active batch with a fresh one placed on {@code node}: the {@code others} are
   * cordoned until every new task is placed there, then the old batch is stopped.
   *
   * @throws TimeoutException when the new tasks are not all placed on {@code node} within {@code within}
   */
  public synchronized void gatherOn(String node, Collection<String> others, Duration within)
      throws TimeoutException {
    List<String> fresh;
    others.forEach(client::cordon);
    try {
      fresh = submitBatch();
      Conditions.await(within, "the new reporters placed on " + node, () -> placedOn(fresh, node),
          () -> "on " + node + ": " + fresh);
    } finally {
      others.forEach(client::uncordon);
    }
    List<String> old = active;
    active = fresh;
    for (String id : old) {
      client.stop(id);
    }
  }

  private Optional<Boolean> placedOn(List<String> ids, String node) {
    try {
      for (String id : ids) {
        Task t = client.get(id);
        if (!t.getNode().equals(node) || (t.getState() != TaskState.SCHEDULED && t.getState() != TaskState.RUNNING)) {
          return Optional.empty();
        }
      }
      return Optional.of(true);
    } catch (OagException e) {
      return Optional.empty();
    }
  }

  private synchronized List<String> submitBatch() {
    int batch = ++batches;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < exclusive + available; i++) {
      FencingMode fencing = i < exclusive ? FencingMode.FENCING_EXCLUSIVE : FencingMode.FENCING_AVAILABLE;
      String mode = fencing == FencingMode.FENCING_EXCLUSIVE ? "exclusive" : "available";
      boolean gated = readiness && fencing == FencingMode.FENCING_AVAILABLE;
      List<String> command = gated ? sink.reporterCommand(READY_FILE) : sink.reporterCommand();
      TaskSpec spec = TaskSpec.command(command.get(0), command.subList(1, command.size()))
          .name(name + "-" + batch + "-" + mode + "-" + i).label("fencing", mode).fencing(fencing)
          .cpuMillis(100).memoryMiB(16).stopGrace(Duration.ofSeconds(1));
      if (gated) {
        spec.readinessCommand("test", "-f", READY_FILE).readinessPeriod(READINESS_PERIOD)
            .readinessTimeout(Duration.ofSeconds(1));
      }
      String id = client.submit(spec).getId();
      all.put(id, fencing);
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  /** Whether the available tasks have a readiness check (and so move make-before-break). */
  public boolean readinessGated() {
    return readiness;
  }

  /** The active batch's task ids, in submission order. */
  public synchronized List<String> ids() {
    return active;
  }

  public synchronized FencingMode fencing(String taskId) {
    FencingMode f = all.get(taskId);
    if (f == null) {
      throw new IllegalArgumentException("not a task of this workload: " + taskId);
    }
    return f;
  }

  public boolean exclusive(String taskId) {
    return fencing(taskId) == FencingMode.FENCING_EXCLUSIVE;
  }

  /** Every task ever submitted here, active or stopped. */
  public synchronized Set<String> allIds() {
    return Set.copyOf(all.keySet());
  }

  /** Every exclusive task ever submitted here, active or stopped. */
  public synchronized Set<String> exclusiveIds() {
    return all.entrySet().stream().filter(e -> e.getValue() == FencingMode.FENCING_EXCLUSIVE)
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }
}
