package org.openautoglm.oag.coordinator.migration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.coordinator.state.RebalanceSettings;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Which movable tasks the rebalancer migrates, from a snapshot of the nodes that may take
 * work. Pure.
 *
 * <p>A node's <b>share</b> is the larger of its cpu and memory in use over its capacity, by
 * replicated allocations. While the busiest node's share exceeds the least busy one's by more
 * than the threshold, the planner moves one movable task from the busiest to the least busy
 * (live CPU breaks ties: the hotter node gives, the cooler takes): the one that leaves the two
 * closest, and only if that brings them strictly closer than they were, so a move can never
 * be undone by the next. At most {@code maxMoves} per plan; a task that began a migration
 * within the cool-down, or is not RUNNING as desired, stays.
 */
public final class RebalancePlanner {

  /** A node that may take work: its capacity, what is in use, its live CPU (-1: unknown), its tasks. */
  public record NodeLoad(String id, long cpuCapacity, long memoryCapacity, long cpuUsed, long memoryUsed,
      double liveCpuPercent, List<TaskRecord> tasks) {

    double share() {
      double c = cpuCapacity > 0 ? (double) cpuUsed / cpuCapacity : 0;
      double m = memoryCapacity > 0 ? (double) memoryUsed / memoryCapacity : 0;
      return Math.max(c, m);
    }

    boolean fits(TaskRecord t) {
      return cpuUsed + t.getSpec().getCpuMillis() <= cpuCapacity
          && memoryUsed + t.getSpec().getMemoryMib() <= memoryCapacity;
    }

    NodeLoad without(TaskRecord t) {
      List<TaskRecord> rest = new ArrayList<>(tasks);
      rest.remove(t);
      return new NodeLoad(id, cpuCapacity, memoryCapacity, cpuUsed - t.getSpec().getCpuMillis(),
          memoryUsed - t.getSpec().getMemoryMib(), liveCpuPercent, rest);
    }

    NodeLoad with(TaskRecord t) {
      return new NodeLoad(id, cpuCapacity, memoryCapacity, cpuUsed + t.getSpec().getCpuMillis(),
          memoryUsed + t.getSpec().getMemoryMib(), liveCpuPercent, tasks);
    }
  }

  private RebalancePlanner() {}

  /** The migrations to begin now (each with the node it should go to). */
  public static List<Migration> plan(List<NodeLoad> nodes, RebalanceSettings settings, long nowMs) {
    if (settings.disabled() || nodes.size() < 2) {
      return List.of();
    }
    List<NodeLoad> loads = new ArrayList<>(nodes);
    Set<String> moved = new HashSet<>();
    List<Migration> out = new ArrayList<>();
    Comparator<NodeLoad> busiestFirst = Comparator.comparingDouble((NodeLoad n) -> -n.share())
        .thenComparingDouble(n -> -n.liveCpuPercent())
        .thenComparing(NodeLoad::id);
    while (out.size() < settings.maxMoves()) {
      loads.sort(busiestFirst);
      NodeLoad from = loads.get(0);
      NodeLoad to = loads.get(loads.size() - 1);
      double spread = from.share() - to.share();
      if (spread * 100 <= settings.thresholdPercent()) {
        break;
      }
      TaskRecord best = null;
      double bestAfter = spread;
      for (TaskRecord t : from.tasks()) {
        if (moved.contains(t.getId()) || !movable(t, settings, nowMs) || !to.fits(t)) {
          continue;
        }
        double after = Math.abs(from.without(t).share() - to.with(t).share());
        if (after < bestAfter) {
          best = t;
          bestAfter = after;
        }
      }
      if (best == null) {
        break;
      }
      moved.add(best.getId());
      out.add(Migration.newBuilder().setTaskId(best.getId()).setExpectedVersion(best.getVersion())
          .setReason("rebalance").setToNode(to.id()).build());
      loads.set(0, from.without(best));
      loads.set(loads.size() - 1, to.with(best));
    }
    return out;
  }

  /** Whether the rebalancer may move {@code t} now. */
  static boolean movable(TaskRecord t, RebalanceSettings settings, long nowMs) {
    return t.getSpec().getMovable() && t.getStatus() == TaskStatus.RUNNING && t.getDesired() == Desired.RUN
        && !t.hasMigration() && nowMs - t.getLastMigratedAtMs() >= settings.cooldownMs();
  }
}
