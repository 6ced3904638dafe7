package org.openautoglm.oag.chaos.failover;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.sink.Life;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failover scenario reads about its cluster: where each task of the {@link
 * ReporterWorkload} runs (linearizable reads), the agents' nodes as the leader sees them, and
 * which generations tick at the sink; and the steady state every round starts and ends in.
 *
 * <p>Steady means: every agent running, UP, connected and heard from within the last second;
 * every task RUNNING; for each task its current generation ticking at the sink and no other
 * generation of it ticking. Reads that fail (no leader for a moment) read as "not yet".
 * Thread-safe as far as its client and sink are.
 */
public final class FleetWatch {
  private static final Logger log = LoggerFactory.getLogger(FleetWatch.class);
  /** A generation that ticked within this long is alive (ticks come every 50 ms). */
  public static final Duration TICKING = Duration.ofMillis(1500);
  /** An agent heard from within this long is alive (heartbeats come every 500 ms). */
  static final long HEARD_MS = 1000;

  private final ChaosCluster cluster;
  private final CoordinatorClient client;
  private final TickSink sink;
  private final ReporterWorkload workload;

  /** The sink must stamp ticks with {@link System#nanoTime()}. */
  public FleetWatch(ChaosCluster cluster, CoordinatorClient client, TickSink sink, ReporterWorkload workload) {
    this.cluster = cluster;
    this.client = client;
    this.sink = sink;
    this.workload = workload;
  }

  public ReporterWorkload workload() {
    return workload;
  }

  public TickSink sink() {
    return sink;
  }

  public CoordinatorClient client() {
    return client;
  }

  /** Waits for the steady state (see the class comment) and returns where each task runs. */
  public Map<String, Placement> awaitSteady(Duration within) throws TimeoutException {
    return Conditions.await(within, "every agent UP and every task RUNNING, ticking in one generation",
        this::steady, this::describe);
  }

  private Optional<Map<String, Placement>> steady() {
    if (!agentsUp()) {
      return Optional.empty();
    }
    Map<String, Placement> now = placements();
    if (now.isEmpty()) {
      return Optional.empty();
    }
    long since = System.nanoTime() - TICKING.toNanos();
    for (Placement p : now.values()) {
      List<Long> live = liveGenerations(p.taskId(), since);
      if (p.node().isEmpty() || !p.runningOn(p.node()) || live.size() != 1 || !live.contains(p.generation())) {
        return Optional.empty();
      }
    }
    return Optional.of(now);
  }

  /**
   * Waits for the steady state and returns the agent to fault: the busiest one running tasks
   * of both modes. When failovers left no such agent, the workload is first gathered on the
   * busiest agent ({@link ReporterWorkload#gatherOn}).
   */
  public String awaitVictim(Duration within) throws TimeoutException {
    Map<String, Placement> placements = awaitSteady(within);
    Optional<String> victim = busiestAgentWithBothModes(placements);
    if (victim.isPresent()) {
      return victim.get();
    }
    String node = busiestAgent(placements);
    log.info("event=workload_gathering node={} reason=\"no agent runs both modes\" placements={}", node,
        placements.values());
    gatherOn(node, within);
    Map<String, Placement> gathered = awaitSteady(within);
    return busiestAgentWithBothModes(gathered).orElseThrow(() ->
        new IllegalStateException("gathered on " + node + " yet no agent runs both modes: " + gathered.values()));
  }

  /**
   * Waits for the steady state with every active task of the workload on one agent, and
   * returns that agent. When they are spread, a fresh batch is first gathered on the agent that
   * runs the most of them ({@link ReporterWorkload#gatherOn}); when none was submitted yet, on
   * the first agent. Every agent must be eligible for work (not cordoned).
   */
  public String awaitGathered(Duration within) throws TimeoutException {
    if (workload.ids().isEmpty()) {
      awaitAgentsUp(within);
      gatherOn(cluster.agents().get(0).id(), within);
    }
    Map<String, Placement> placements = awaitSteady(within);
    List<String> nodes = placements.values().stream().map(Placement::node).distinct().toList();
    if (nodes.size() == 1) {
      return nodes.get(0);
    }
    String node = busiestAgent(placements);
    log.info("event=workload_gathering node={} reason=\"spread over {}\"", node, nodes);
    gatherOn(node, within);
    Map<String, Placement> gathered = awaitSteady(within);
    if (gathered.values().stream().anyMatch(p -> !p.node().equals(node))) {
      throw new IllegalStateException("gathered on " + node + " yet spread: " + gathered.values());
    }
    return node;
  }

  /** Waits until every agent runs, unpaused, and is UP, connected and heard from within {@link #HEARD_MS}. */
  public void awaitAgentsUp(Duration within) throws TimeoutException {
    Conditions.await(within, "every agent UP, connected and heard from",
        () -> agentsUp() ? Optional.of(true) : Optional.empty(), this::describe);
  }

  private String busiestAgent(Map<String, Placement> placements) {
    Map<String, Long> load = new TreeMap<>();
    cluster.agents().forEach(a -> load.put(a.id(), 0L));
    placements.values().forEach(p -> load.merge(p.node(), 1L, Long::sum));
    return load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private void gatherOn(String node, Duration within) throws TimeoutException {
    List<String> others = cluster.agents().stream().map(a -> a.id()).filter(n -> !n.equals(node)).toList();
    workload.gatherOn(node, others, within);
  }

  /** The agent hosting the most tasks of both modes (at least one of each), if any. */
  public Optional<String> busiestAgentWithBothModes(Map<String, Placement> placements) {
    Map<String, int[]> counts = new TreeMap<>();
    placements.values().forEach(p -> counts.computeIfAbsent(p.node(), n -> new int[2])
        [workload.exclusive(p.taskId()) ? 0 : 1]++);
    return counts.entrySet().stream().filter(e -> e.getValue()[0] > 0 && e.getValue()[1] > 0)
        .max((a, b) -> Integer.compare(a.getValue()[0] + a.getValue()[1], b.getValue()[0] + b.getValue()[1]))
        .map(Map.Entry::getKey);
  }

  /**
   * Every task's placement now, by id; empty (no task at all) while the cluster does not
   * answer.
   */
  public Map<String, Placement> placements() {
    Map<String, Placement> out = new LinkedHashMap<>();
    try {
      for (String id : workload.ids()) {
        out.put(id, Placement.of(client.get(id)));
      }
    } catch (OagException e) {
      return Map.of();
    }
    return out;
  }

  /** The nodes as the leader sees them; empty while the cluster does not answer. */
  public List<Node> nodes() {
    try {
      return client.listNodes();
    } catch (OagException e) {
      return List.of();
    }
  }

  /** The node {@code id} is UP, connected and heard from within {@link #HEARD_MS}. */
  public static boolean alive(Node n) {
    return n.getState() == NodeState.NODE_UP && n.getConnected() && n.getLastHeartbeatAgeMs() >= 0
        && n.getLastHeartbeatAgeMs() <= HEARD_MS;
  }

  private boolean agentsUp() {
    return agentsUp(cluster, nodes());
  }

  /** Whether every agent process of {@code cluster} runs and its node in {@code nodes} is {@link #alive}. */
  public static boolean agentsUp(ChaosCluster cluster, List<Node> nodes) {
    return cluster.agents().stream().allMatch(a -> a.running() && !a.paused()
        && nodes.stream().anyMatch(n -> n.getId().equals(a.id()) && alive(n)));
  }

  /** The generations of a task that ticked since {@code sinceNanos}. */
  List<Long> liveGenerations(String taskId, long sinceNanos) {
    return sink.lives().stream().filter(l -> l.taskId().equals(taskId) && l.lastTick() >= sinceNanos)
        .map(Life::generation).toList();
  }

  /** The processes, the nodes, the tasks and the lives at the sink, one per line (for a timeout's message). */
  public String describe() {
    StringBuilder b = new StringBuilder(cluster.describe());
    nodes().forEach(n -> b.append("node ").append(n.getId()).append(' ').append(n.getState())
        .append(n.getConnected() ? " connected" : " not connected").append(" heartbeat age ")
        .append(n.getLastHeartbeatAgeMs()).append(" ms\n"));
    placements().values().forEach(p -> b.append(p).append('\n'));
    long now = System.nanoTime();
    sink.lives().forEach(l -> b.append("life ").append(l.taskId()).append(" gen ").append(l.generation())
        .append(" last tick ").append((now - l.lastTick()) / 1_000_000).append(" ms ago\n"));
    return b.toString();
  }
}
