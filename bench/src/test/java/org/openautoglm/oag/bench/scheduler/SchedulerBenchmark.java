package org.openautoglm.oag.bench.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.coordinator.scheduler.Constraint;
import org.openautoglm.oag.coordinator.scheduler.NodeSnapshot;
import org.openautoglm.oag.coordinator.scheduler.Plan;
import org.openautoglm.oag.coordinator.scheduler.Resources;
import org.openautoglm.oag.coordinator.scheduler.Scheduler;
import org.openautoglm.oag.coordinator.scheduler.TaskDemand;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One scheduling pass of {@code tasks} pending tasks over {@code nodes} nodes (the shape of
 * the scheduler issue's target: 10,000 tasks on 1,000 nodes), with a mix of sizes,
 * priorities, GPU work, a label constraint on a quarter of the tasks, and both strategies.
 * Placements per second = tasks / (seconds per pass). Run by {@code bench/scheduler-bench.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SchedulerBenchmark {
  @Param({"1000"})
  int nodes;

  @Param({"10000"})
  int tasks;

  List<NodeSnapshot> snapshot;
  List<TaskDemand> pending;

  @Setup
  public void build() {
    snapshot = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      snapshot.add(new NodeSnapshot(String.format("n%05d", i), true, true,
          new Resources(16_000, 32_768, i % 4 == 0 ? 8 : 0), Resources.NONE,
          Map.of("zone", "z" + (i % 3)), i % 100));
    }
    pending = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      pending.add(new TaskDemand("t" + i, i, i % 5,
          new Resources(500 + (i % 7) * 250, 1024 + (i % 5) * 512, i % 10 == 0 ? 1 : 0),
          i % 4 == 0 ? List.of(Constraint.parse("zone!=z0")) : List.of(),
          i % 2 == 0 ? TaskDemand.Strategy.BINPACK : TaskDemand.Strategy.SPREAD, Set.of()));
    }
  }

  @Benchmark
  public Plan schedule() {
    return Scheduler.schedule(snapshot, pending);
  }
}
