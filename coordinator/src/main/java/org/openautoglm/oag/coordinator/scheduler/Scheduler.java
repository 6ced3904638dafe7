package org.openautoglm.oag.coordinator.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource-aware placement as a pure function: {@link #schedule} reads a snapshot of the
 * nodes and the pending tasks and returns a {@link Plan}; it writes nothing, reads no clock
 * and is deterministic, so it can be tested and benchmarked with no cluster at all. Whoever
 * applies the plan re-checks every placement against the replicated state.
 *
 * <p>How a pass works: tasks go in order of priority (higher first), then FIFO. For each
 * task, the <b>feasible</b> nodes are those UP and ELIGIBLE, not on the task's avoid list,
 * matching all its constraints, with enough free CPU, memory and GPUs by replicated
 * accounting (as reduced by the placements this pass already made). Among them the
 * <b>score</b> is the node's utilisation after placing the task (the mean over the resources
 * the node has of used / capacity): {@code BINPACK} wants it high, {@code SPREAD} low. Nodes
 * within {@link #NEAR_EQUAL} of the best score count as equal, and of those the one with the
 * lowest live CPU wins (the inverse-CPU weighting of the original design), then the first by
 * id. A task that needs no GPU goes to a node with GPUs only when no other node fits. A task
 * with a preferred node (the rebalancer's target) goes there whenever it is feasible. A task
 * with no feasible node waits, with the reason: which constraint no node matches,
 * or which resource is short and the largest amount of it free anywhere.
 *
 * <p>Cost: O(tasks x nodes) comparisons of a few numbers each, with no allocation per task or pair.
 */
public final class Scheduler {
  /** Scores this close to the best are ties, broken by live CPU. */
  static final double NEAR_EQUAL = 0.05;
  /**
   * Subtracted from the score of a GPU node for a task that needs no GPU, more than any
   * utilisation difference: such a task goes there only when no other node fits, so CPU work
   * does not fill the nodes that GPU work can only run on.
   */
  static final double GPU_NODE_PENALTY = 2;

  private Scheduler() {}

  /** One pass over {@code pending} on {@code nodes}. Pure; any thread. */
  public static Plan schedule(List<NodeSnapshot> nodes, List<TaskDemand> pending) {
    return new Pass(nodes).run(pending);
  }

  /** The mutable free resources of one pass, in arrays so the inner loop allocates nothing. */
  private static final class Pass {
    final List<NodeSnapshot> all;
    final List<NodeSnapshot> usable = new ArrayList<>();
    final long[] cpu;
    final long[] mem;
    final long[] gpu;
    final double[] score;   // per node, reused by every task (NaN: not feasible)

    Pass(List<NodeSnapshot> nodes) {
      this.all = nodes;
      nodes.stream().filter(n -> n.up() && n.eligible())
          .sorted(Comparator.comparing(NodeSnapshot::id)).forEach(usable::add);
      int n = usable.size();
      cpu = new long[n];
      mem = new long[n];
      gpu = new long[n];
      score = new double[n];
      for (int i = 0; i < n; i++) {
        Resources free = usable.get(i).free();
        cpu[i] = free.cpuMillis();
        mem[i] = free.memoryMib();
        gpu[i] = free.gpus();
      }
    }

    Plan run(List<TaskDemand> pending) {
      List<TaskDemand> order = new ArrayList<>(pending);
      order.sort(Comparator.comparingInt(TaskDemand::priority).reversed()
          .thenComparingLong(TaskDemand::order));
      List<Plan.Placement> placements = new ArrayList<>();
      Map<String, String> waiting = new LinkedHashMap<>();
      for (TaskDemand task : order) {
        int chosen = choose(task);
        if (chosen < 0) {
          waiting.put(task.id(), whyNot(task));
          continue;
        }
        Resources r = task.request();
        cpu[chosen] -= r.cpuMillis();
        mem[chosen] -= r.memoryMib();
        gpu[chosen] -= r.gpus();
        placements.add(new Plan.Placement(task.id(), usable.get(chosen).id()));
      }
      return new Plan(placements, waiting);
    }

    private boolean eligible(int i, TaskDemand task) {
      NodeSnapshot node = usable.get(i);
      if (!task.avoid().isEmpty() && task.avoid().contains(node.id())) {
        return false;
      }
      for (Constraint c : task.constraints()) {
        if (!c.matches(node.labels())) {
          return false;
        }
      }
      return true;
    }

    private boolean fits(int i, Resources r) {
      return r.cpuMillis() <= cpu[i] && r.memoryMib() <= mem[i] && r.gpus() <= gpu[i];
    }

    /** Utilisation of node i after placing {@code r}, in [0, 1] for a node not over-committed. */
    private double utilisationAfter(int i, Resources r) {
      Resources cap = usable.get(i).capacity();
      double sum = 0;
      int dims = 0;
      if (cap.cpuMillis() > 0) {
        sum += (double) (cap.cpuMillis() - cpu[i] + r.cpuMillis()) / cap.cpuMillis();
        dims++;
      }
      if (cap.memoryMib() > 0) {
        sum += (double) (cap.memoryMib() - mem[i] + r.memoryMib()) / cap.memoryMib();
        dims++;
      }
      if (cap.gpus() > 0) {
        sum += (double) (cap.gpus() - gpu[i] + r.gpus()) / cap.gpus();
        dims++;
      }
      return dims == 0 ? 0 : sum / dims;
    }

    /** The index of the node to place {@code task} on, or -1 when none is feasible. */
    private int choose(TaskDemand task) {
      Resources r = task.request();
      boolean binpack = task.strategy() == TaskDemand.Strategy.BINPACK;
      double best = Double.NEGATIVE_INFINITY;
      int n = usable.size();
      boolean any = false;
      for (int i = 0; i < n; i++) {
        if (!fits(i, r) || !eligible(i, task)) {
          score[i] = Double.NaN;
          continue;
        }
        double u = utilisationAfter(i, r);
        score[i] = (binpack ? u : -u)
            - (r.gpus() == 0 && usable.get(i).capacity().gpus() > 0 ? GPU_NODE_PENALTY : 0);
        best = Math.max(best, score[i]);
        any = true;
      }
      if (!any) {
        return -1;
      }
      if (!task.prefer().isEmpty()) {
        for (int i = 0; i < n; i++) {
          if (!Double.isNaN(score[i]) && usable.get(i).id().equals(task.prefer())) {
            return i;
          }
        }
      }
      int chosen = -1;
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(score[i]) || score[i] < best - NEAR_EQUAL) {
          continue;
        }
        if (chosen < 0 || lessLoaded(i, chosen)) {
          chosen = i;
        }
      }
      return chosen;
    }

    /** Whether node i's live CPU is known and lower than node j's (unknown loses). */
    private boolean lessLoaded(int i, int j) {
      double a = usable.get(i).liveCpuPercent();
      double b = usable.get(j).liveCpuPercent();
      return a >= 0 && (b < 0 || a < b);
    }

    /** Why {@code task} fits nowhere, in words a person can act on. */
    private String whyNot(TaskDemand task) {
      if (usable.isEmpty()) {
        long down = all.stream().filter(n -> !n.up()).count();
        return all.isEmpty() ? "no nodes registered"
            : "no node is up and eligible (" + all.size() + (all.size() == 1 ? " node, " : " nodes, ")
                + down + " down, "
                + (all.size() - down - usable.size()) + " cordoned)";
      }
      for (Constraint c : task.constraints()) {
        if (usable.stream().noneMatch(node -> c.matches(node.labels()))) {
          return "no node matches " + c;
        }
      }
      List<Integer> candidates = new ArrayList<>();
      for (int i = 0; i < usable.size(); i++) {
        if (eligible(i, task)) {
          candidates.add(i);
        }
      }
      if (candidates.isEmpty()) {
        return task.avoid().isEmpty() ? "no node matches all of " + task.constraints()
            : "no node matches but those the task must avoid (it failed there or migrates off them: " + String.join(", ",
                task.avoid().stream().sorted().toList()) + ")";
      }
      Resources r = task.request();
      int count = candidates.size();
      String on = " on " + count + (count == 1 ? " eligible node" : " eligible nodes");
      long maxMem = candidates.stream().mapToLong(i -> mem[i]).max().orElse(0);
      if (r.memoryMib() > maxMem) {
        return "insufficient memory: need " + r.memoryMib() + " MiB, largest free "
            + Math.max(0, maxMem) + " MiB" + on;
      }
      long maxCpu = candidates.stream().mapToLong(i -> cpu[i]).max().orElse(0);
      if (r.cpuMillis() > maxCpu) {
        return "insufficient cpu: need " + r.cpuMillis() + " millicores, largest free "
            + Math.max(0, maxCpu) + " millicores" + on;
      }
      long maxGpu = candidates.stream().mapToLong(i -> gpu[i]).max().orElse(0);
      if (r.gpus() > maxGpu) {
        return "insufficient GPUs: need " + r.gpus() + ", most free " + Math.max(0, maxGpu) + on;
      }
      return "no single node has " + r.cpuMillis() + " millicores, " + r.memoryMib() + " MiB and "
          + r.gpus() + (r.gpus() == 1 ? " GPU" : " GPUs") + " free at once" + on;
    }
  }
}
