package org.openautoglm.oag.chaos.rebalance;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.chaos.failover.Placement;

/**
 * How a {@link MovableWorkload} lies over the nodes that take work, weighed as the rebalancer
 * weighs it: per node, how many of the tasks it runs and its share of capacity in use (the
 * larger of cpu and memory, by the tasks' requests over the node's capacity, in percent). Pure.
 *
 * @param counts node id -> tasks placed on it (0 for a node with none)
 * @param shares node id -> share of its capacity in use, in percent
 */
public record Spread(Map<String, Integer> counts, Map<String, Double> shares) {
  public Spread {
    counts = Map.copyOf(counts);
    shares = Map.copyOf(shares);
  }

  /** The spread of {@code placements} over {@code nodes}, each task asking for {@code cpuMillis} and {@code memoryMiB}. */
  public static Spread of(Collection<Placement> placements, Collection<Node> nodes, int cpuMillis, long memoryMiB) {
    Map<String, Integer> counts = new TreeMap<>();
    nodes.forEach(n -> counts.put(n.getId(), 0));
    placements.forEach(p -> counts.computeIfPresent(p.node(), (n, c) -> c + 1));
    Map<String, Double> shares = new TreeMap<>();
    for (Node n : nodes) {
      int k = counts.get(n.getId());
      double cpu = n.getCapacity().getCpuMillis() > 0 ? 100.0 * k * cpuMillis / n.getCapacity().getCpuMillis() : 0;
      double mem = n.getCapacity().getMemoryMib() > 0 ? 100.0 * k * memoryMiB / n.getCapacity().getMemoryMib() : 0;
      shares.put(n.getId(), Math.max(cpu, mem));
    }
    return new Spread(counts, shares);
  }

  /** The busiest node's share less the least busy one's, in points; 0 with fewer than two nodes. */
  public double points() {
    if (shares.size() < 2) {
      return 0;
    }
    return shares.values().stream().mapToDouble(Double::doubleValue).max().orElse(0)
        - shares.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  /** Balanced as the rebalancer sees it: the spread is at most {@code thresholdPercent} points. */
  public boolean within(int thresholdPercent) {
    return points() <= thresholdPercent;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(counts).forEach((n, c) -> b.append(b.length() == 0 ? "" : " ").append(n).append('=').append(c)
        .append(" (").append(Math.round(shares.get(n))).append("%)"));
    return b.append(", spread ").append(Math.round(points())).append(" points").toString();
  }
}
