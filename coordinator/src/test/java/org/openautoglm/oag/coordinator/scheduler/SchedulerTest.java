package org.openautoglm.oag.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.coordinator.scheduler.TaskDemand.Strategy;

/** The scheduler on hand-built snapshots: no cluster, no clock. */
class SchedulerTest {

  private static NodeSnapshot node(String id, long cpu, long mem, long gpus, Map<String, String> labels) {
    return new NodeSnapshot(id, true, true, new Resources(cpu, mem, gpus), Resources.NONE, labels, -1);
  }

  private static NodeSnapshot node(String id, long cpu, long mem) {
    return node(id, cpu, mem, 0, Map.of());
  }

  private static TaskDemand task(String id, long order, long cpu, long mem) {
    return new TaskDemand(id, order, 0, new Resources(cpu, mem, 0), List.of(), Strategy.BINPACK, Set.of());
  }

  private static Map<String, String> placed(Plan plan) {
    Map<String, String> m = new HashMap<>();
    plan.placements().forEach(p -> m.put(p.taskId(), p.node()));
    return m;
  }

  @Test
  void aTaskThatFitsIsPlacedAndOneThatDoesNotWaitsWithTheExactReason() {
    List<NodeSnapshot> nodes = List.of(node("a", 4000, 2048), node("b", 4000, 1024), node("c", 4000, 512));

    Plan plan = Scheduler.schedule(nodes, List.of(task("t1", 1, 1000, 1024), task("big", 2, 1000, 4096)));

    assertThat(placed(plan)).containsKey("t1");
    assertThat(plan.waiting()).containsExactly(
        Map.entry("big", "insufficient memory: need 4096 MiB, largest free 2048 MiB on 3 eligible nodes"));
  }

  @Test
  void aPreferredNodeIsTakenWhenItFitsAndOtherwiseTheUsualChoice() {
    List<NodeSnapshot> nodes = List.of(node("a", 4000, 4096), node("b", 4000, 512));
    TaskDemand plain = task("t", 1, 1000, 256);
    TaskDemand toB = new TaskDemand("t", 1, 0, plain.request(), List.of(), Strategy.SPREAD, Set.of(), "b");
    TaskDemand toFullB = new TaskDemand("u", 2, 0, new Resources(1000, 1024, 0), List.of(), Strategy.SPREAD,
        Set.of(), "b");

    assertThat(placed(Scheduler.schedule(nodes, List.of(toB)))).containsEntry("t", "b");
    assertThat(placed(Scheduler.schedule(nodes, List.of(toFullB)))).containsEntry("u", "a");
  }

  @Test
  void resourcesTakenEarlierInThePassCount() {
    Plan plan = Scheduler.schedule(List.of(node("a", 1000, 1000)),
        List.of(task("t1", 1, 600, 100), task("t2", 2, 600, 100)));

    assertThat(placed(plan)).containsOnlyKeys("t1");
    assertThat(plan.waiting().get("t2"))
        .isEqualTo("insufficient cpu: need 600 millicores, largest free 400 millicores on 1 eligible node");
  }

  @Test
  void constraintsChooseByLabelsAndANodeMatchingNoneIsNamed() {
    List<NodeSnapshot> nodes = List.of(
        node("a", 4000, 4096, 1, Map.of("gpu.model", "A100", "zone", "a")),
        node("b", 4000, 4096, 1, Map.of("gpu.model", "H100", "zone", "a")),
        node("c", 4000, 4096, 1, Map.of("gpu.model", "H100", "zone", "b")));
    TaskDemand h100NotZoneA = new TaskDemand("t1", 1, 0, new Resources(100, 100, 1),
        List.of(Constraint.parse("gpu.model=H100"), Constraint.parse("zone!=a")), Strategy.BINPACK, Set.of());
    TaskDemand b200 = new TaskDemand("t2", 2, 0, new Resources(100, 100, 1),
        List.of(Constraint.parse("gpu.model=B200")), Strategy.BINPACK, Set.of());

    Plan plan = Scheduler.schedule(nodes, List.of(h100NotZoneA, b200));

    assertThat(placed(plan)).containsExactly(Map.entry("t1", "c"));
    assertThat(plan.waiting()).containsExactly(Map.entry("t2", "no node matches gpu.model=B200"));
  }

  @Test
  void binPackFillsTheFullestNodeAndSpreadTheEmptiest() {
    List<NodeSnapshot> nodes = List.of(
        new NodeSnapshot("busy", true, true, new Resources(4000, 4096, 0), new Resources(3000, 3072, 0), Map.of(), -1),
        new NodeSnapshot("idle", true, true, new Resources(4000, 4096, 0), Resources.NONE, Map.of(), -1));

    TaskDemand packed = task("p", 1, 500, 512);
    TaskDemand spread = new TaskDemand("s", 2, 0, new Resources(500, 512, 0), List.of(), Strategy.SPREAD, Set.of());

    assertThat(placed(Scheduler.schedule(nodes, List.of(packed)))).containsExactly(Map.entry("p", "busy"));
    assertThat(placed(Scheduler.schedule(nodes, List.of(spread)))).containsExactly(Map.entry("s", "idle"));
  }

  @Test
  void amongNearEqualNodesTheOneWithLowerLiveCpuWins() {
    List<NodeSnapshot> nodes = List.of(
        new NodeSnapshot("hot", true, true, new Resources(4000, 4096, 0), Resources.NONE, Map.of(), 90),
        new NodeSnapshot("cool", true, true, new Resources(4000, 4096, 0), Resources.NONE, Map.of(), 10));

    assertThat(placed(Scheduler.schedule(nodes, List.of(task("t", 1, 100, 100)))))
        .containsExactly(Map.entry("t", "cool"));
  }

  @Test
  void higherPriorityIsPlacedFirstAndFifoWithinAPriority() {
    List<NodeSnapshot> nodes = List.of(node("a", 1000, 1000));
    TaskDemand early = task("early", 1, 600, 100);
    TaskDemand late = task("late", 2, 600, 100);
    TaskDemand urgent = new TaskDemand("urgent", 3, 10, new Resources(600, 100, 0), List.of(), Strategy.BINPACK, Set.of());

    Plan plan = Scheduler.schedule(nodes, List.of(early, late, urgent));
    assertThat(placed(plan)).containsOnlyKeys("urgent");

    Plan fifo = Scheduler.schedule(nodes, List.of(late, early));
    assertThat(placed(fifo)).containsOnlyKeys("early");
  }

  @Test
  void aTaskAvoidsTheNodeItFailedOn() {
    List<NodeSnapshot> nodes = List.of(node("a", 4000, 4096), node("b", 1000, 1024));
    TaskDemand retried = new TaskDemand("t", 1, 0, new Resources(100, 100, 0), List.of(), Strategy.BINPACK, Set.of("a"));
    TaskDemand onlyThere = new TaskDemand("u", 2, 0, new Resources(100, 100, 0), List.of(), Strategy.BINPACK,
        Set.of("a", "b"));

    Plan plan = Scheduler.schedule(nodes, List.of(retried, onlyThere));

    assertThat(placed(plan)).containsExactly(Map.entry("t", "b"));
    assertThat(plan.waiting().get("u")).contains("must avoid").contains("a, b");
  }

  @Test
  void workThatNeedsNoGpuKeepsOffGpuNodesWhileOthersFit() {
    List<NodeSnapshot> nodes = List.of(node("gpu", 4000, 4096, 2, Map.of()), node("cpu", 4000, 4096, 0, Map.of()));
    TaskDemand cpuWork = new TaskDemand("c", 1, 0, new Resources(3000, 1024, 0), List.of(), Strategy.SPREAD, Set.of());
    TaskDemand gpuWork = new TaskDemand("g", 2, 0, new Resources(3000, 1024, 1), List.of(), Strategy.SPREAD, Set.of());
    TaskDemand more = new TaskDemand("m", 3, 0, new Resources(500, 512, 0), List.of(), Strategy.SPREAD, Set.of());

    Plan plan = Scheduler.schedule(nodes, List.of(cpuWork, gpuWork, more));

    assertThat(placed(plan)).containsEntry("c", "cpu").containsEntry("g", "gpu").containsEntry("m", "cpu");
  }

  @Test
  void downAndCordonedNodesTakeNothing() {
    List<NodeSnapshot> nodes = List.of(
        new NodeSnapshot("down", false, true, new Resources(4000, 4096, 0), Resources.NONE, Map.of(), -1),
        new NodeSnapshot("cordoned", true, false, new Resources(4000, 4096, 0), Resources.NONE, Map.of(), -1));

    Plan plan = Scheduler.schedule(nodes, List.of(task("t", 1, 1, 1)));

    assertThat(plan.placements()).isEmpty();
    assertThat(plan.waiting().get("t")).isEqualTo("no node is up and eligible (2 nodes, 1 down, 1 cordoned)");
  }

  @Test
  void aBatchOfTenThousandTasksOnAThousandNodesNeverOvercommitsANode() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      nodes.add(node(String.format("n%04d", i), 16000, 32768, i % 4 == 0 ? 8 : 0,
          Map.of("zone", "z" + (i % 3))));
    }
    List<TaskDemand> tasks = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      tasks.add(new TaskDemand("t" + i, i, i % 5, new Resources(500 + (i % 7) * 250, 1024 + (i % 5) * 512,
          i % 10 == 0 ? 1 : 0), i % 4 == 0 ? List.of(Constraint.parse("zone!=z0")) : List.of(),
          i % 2 == 0 ? Strategy.BINPACK : Strategy.SPREAD, Set.of()));
    }

    Plan plan = Scheduler.schedule(nodes, tasks);

    assertThat(plan.placements().size() + plan.waiting().size()).isEqualTo(10_000);
    Map<String, Resources> used = new HashMap<>();
    Map<String, TaskDemand> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    for (Plan.Placement p : plan.placements()) {
      used.merge(p.node(), byId.get(p.taskId()).request(), Resources::plus);
    }
    for (NodeSnapshot n : nodes) {
      assertThat(n.capacity().fits(used.getOrDefault(n.id(), Resources.NONE))).as(n.id()).isTrue();
    }
    // Demand is about 80% of the CPU, 60% of the memory and half the GPUs: everything fits.
    assertThat(plan.waiting().size()).as("waiting, e.g. %s", plan.waiting().entrySet().stream().limit(3).toList())
        .isZero();
  }

  @Test
  void constraintsParseOrSayWhatIsWrong() {
    assertThat(Constraint.parse("gpu.model=H100")).isEqualTo(new Constraint("gpu.model", true, "H100"));
    assertThat(Constraint.parse("zone!=a")).isEqualTo(new Constraint("zone", false, "a"));
    assertThat(Constraint.parse("zone!=a").matches(Map.of())).isTrue();
    assertThatThrownBy(() -> Constraint.parse("zone")).hasMessageContaining("'zone'");
    assertThatThrownBy(() -> Constraint.parse("=a")).hasMessageContaining("'=a'");
  }
}
