package org.openautoglm.oag.chaos.rebalance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The tasks a rebalance scenario watches: {@code movable} reporters that tick to the {@link
 * TickSink} every 50 ms with their task id and allocation generation, all of one size (the
 * rebalancer weighs them by their requests). None restarts by itself, so a run that ends other
 * than by a migration shows up as a task that is not RUNNING. Two kinds of batch:
 *
 * <ul>
 *   <li>{@link #breakBeforeMake}: alternately {@code exclusive} and {@code available} without a
 *       readiness check; the rebalancer moves both by stopping the old instance first;
 *   <li>{@link #makeBeforeBreak}: {@code available} with a readiness check that passes once the
 *       process has run for a warm-up (a file it writes in its working directory, which is its
 *       allocation's own), as a service that takes a moment to serve; the rebalancer moves them
 *       by starting the new instance first and stopping the old one once the new one is ready.
 * </ul>
 *
 * Immutable once submitted; thread-safe.
 */
public final class MovableWorkload {
  /** What a make-before-break reporter writes in its working directory once warmed up. */
  static final String WARMED_UP = "warmed-up";

  private final int cpuMillis;
  private final long memoryMiB;
  /** Every task, in submission order, with its mode. */
  private final Map<String, FencingMode> tasks;

  private MovableWorkload(int cpuMillis, long memoryMiB, Map<String, FencingMode> tasks) {
    this.cpuMillis = cpuMillis;
    this.memoryMiB = memoryMiB;
    this.tasks = tasks;
  }

  /**
   * Submits {@code n} movable reporters named {@code name-…}, alternately exclusive and
   * available (no readiness check), each asking for {@code cpuMillis} and {@code memoryMiB}.
   */
  public static MovableWorkload breakBeforeMake(CoordinatorClient client, TickSink sink, String name, int n,
      int cpuMillis, long memoryMiB) {
    Map<String, FencingMode> tasks = new LinkedHashMap<>();
    List<String> command = sink.reporterCommand();
    for (int i = 0; i < n; i++) {
      FencingMode fencing = i % 2 == 0 ? FencingMode.FENCING_EXCLUSIVE : FencingMode.FENCING_AVAILABLE;
      TaskSpec spec = reporter(command, name, i, fencing, cpuMillis, memoryMiB);
      tasks.put(client.submit(spec).getId(), fencing);
    }
    return new MovableWorkload(cpuMillis, memoryMiB, Collections.unmodifiableMap(tasks));
  }

  /**
   * Submits {@code n} movable available reporters named {@code name-…}, each asking for {@code
   * cpuMillis} and {@code memoryMiB}, ready once each has run for {@code warmUp}.
   */
  public static MovableWorkload makeBeforeBreak(CoordinatorClient client, TickSink sink, String name, int n,
      int cpuMillis, long memoryMiB, Duration warmUp) {
    Map<String, FencingMode> tasks = new LinkedHashMap<>();
    List<String> reporter = sink.reporterCommand();
    // bash -c SCRIPT: the warm-up runs beside the reporter, in its process group.
    String seconds = String.format(Locale.ROOT, "%.3f", warmUp.toMillis() / 1000.0);
    List<String> command = List.of(reporter.get(0), reporter.get(1),
        "(sleep " + seconds + " && : > " + WARMED_UP + ") &\n" + reporter.get(2));
    for (int i = 0; i < n; i++) {
      TaskSpec spec = reporter(command, name, i, FencingMode.FENCING_AVAILABLE, cpuMillis, memoryMiB)
          .readinessCommand("test", "-e", WARMED_UP).readinessPeriod(Duration.ofMillis(250));
      tasks.put(client.submit(spec).getId(), FencingMode.FENCING_AVAILABLE);
    }
    return new MovableWorkload(cpuMillis, memoryMiB, Collections.unmodifiableMap(tasks));
  }

  private static TaskSpec reporter(List<String> command, String name, int i, FencingMode fencing, int cpuMillis,
      long memoryMiB) {
    String mode = fencing == FencingMode.FENCING_EXCLUSIVE ? "exclusive" : "available";
    return TaskSpec.command(command.get(0), command.subList(1, command.size()))
        .name(name + "-" + mode + "-" + i).label("fencing", mode).fencing(fencing)
        .cpuMillis(cpuMillis).memoryMiB(memoryMiB).stopGrace(Duration.ofSeconds(1)).movable(true);
  }

  /** The task ids, in submission order. */
  public List<String> ids() {
    return new ArrayList<>(tasks.keySet());
  }

  public Set<String> exclusiveIds() {
    return tasks.entrySet().stream().filter(e -> e.getValue() == FencingMode.FENCING_EXCLUSIVE)
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }

  /** Each task's cpu request, in millicores. */
  public int cpuMillis() {
    return cpuMillis;
  }

  /** Each task's memory request, in MiB. */
  public long memoryMiB() {
    return memoryMiB;
  }

  /** Asks every task to stop (it stays stored, STOPPED once its process ended). */
  public void stop(CoordinatorClient client) {
    tasks.keySet().forEach(client::stop);
  }

  @Override
  public String toString() {
    return new TreeMap<>(tasks).toString();
  }
}
