package org.openautoglm.oag.chaos.rebalance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.api.v1.Allocation;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.failover.FleetWatch;
import org.openautoglm.oag.chaos.failover.Placement;
import org.openautoglm.oag.chaos.sink.Life;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;

/**
 * What a rebalance scenario reads about its cluster: where each task of the {@link
 * MovableWorkload} runs and whether it is being migrated (linearizable reads), the agents'
 * nodes as the leader sees them, and which generations tick at the sink.
 *
 * <p><b>Settled</b> means: every agent running, UP, connected and heard from within the last
 * second; every task RUNNING in its current allocation, not migrating, that generation ticking
 * at the sink. Reads that fail (no leader for a moment) read as "not yet". Nothing here sleeps
 * for a fixed time: waits are bounded conditions, and {@link #watchStill} watches for the time
 * it was asked to. The sink must stamp ticks with {@link System#nanoTime()}. Used from one
 * thread.
 */
public final class RebalanceWatch {
  /** A generation that ticked within this long is alive (ticks come every 50 ms). */
  private static final Duration TICKING = FleetWatch.TICKING;
  private static final long POLL_MS = 100;

  private final ChaosCluster cluster;
  private final CoordinatorClient client;
  private final TickSink sink;
  private final MovableWorkload workload;

  public RebalanceWatch(ChaosCluster cluster, CoordinatorClient client, TickSink sink, MovableWorkload workload) {
    this.cluster = cluster;
    this.client = client;
    this.sink = sink;
    this.workload = workload;
  }

  /** Waits until every task is settled on {@code node}; returns where each runs. */
  public Map<String, Placement> awaitAllOn(String node, Duration within) throws TimeoutException {
    return Conditions.await(within, "every task settled on " + node, () -> settled()
        .filter(p -> p.values().stream().allMatch(x -> x.node().equals(node))), this::describe);
  }

  /**
   * Waits until the tasks are settled and spread over every agent, each eligible, within
   * {@code thresholdPercent} points; returns where each runs then.
   */
  public Balanced awaitBalanced(int thresholdPercent, Duration within) throws TimeoutException {
    return Conditions.await(within, "every task settled, spread over the eligible agents within "
        + thresholdPercent + " points", () -> settled().map(p -> new Balanced(p, spread(p, nodes())))
            .filter(b -> b.spread().counts().size() == cluster.agents().size()
                && b.spread().within(thresholdPercent)),
        this::describe);
  }

  /** The settled placements once balanced, and their spread. */
  public record Balanced(Map<String, Placement> placements, Spread spread) {}

  /** Every task's placement now, once settled (see the class comment). */
  public Optional<Map<String, Placement>> settled() {
    if (!agentsUp()) {
      return Optional.empty();
    }
    Map<String, Task> tasks = tasks();
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    long since = System.nanoTime() - TICKING.toNanos();
    Map<String, Placement> out = new LinkedHashMap<>();
    for (Task t : tasks.values()) {
      Placement p = Placement.of(t);
      if (t.hasMigration() || p.node().isEmpty() || !p.runningOn(p.node()) || !ticking(p, since)) {
        return Optional.empty();
      }
      out.put(t.getId(), p);
    }
    return Optional.of(out);
  }

  /** The spread of {@code placements} over the agents in {@code nodes} that take work (alive and eligible). */
  public Spread spread(Map<String, Placement> placements, List<Node> nodes) {
    return Spread.of(placements.values(), nodes.stream().filter(n -> FleetWatch.alive(n)
        && n.getEligibility() != NodeEligibility.NODE_CORDONED).toList(), workload.cpuMillis(), workload.memoryMiB());
  }

  /**
   * Watches the tasks for {@code window} from now and returns, by task id, the first change
   * seen of each that was {@code before}: moved (another generation or node), began migrating,
   * or stopped ticking. Reads that fail are skipped.
   */
  public Map<String, String> watchStill(Map<String, Placement> before, Duration window) throws InterruptedException {
    long start = System.nanoTime();
    Map<String, String> changes = new TreeMap<>();
    while (System.nanoTime() - start < window.toNanos()) {
      Map<String, Task> now = tasks();
      long at = (System.nanoTime() - start) / 1_000_000;
      long since = System.nanoTime() - TICKING.toNanos();
      for (Placement was : before.values()) {
        Task t = now.get(was.taskId());
        if (t == null) {
          continue;
        }
        Placement is = Placement.of(t);
        if (is.generation() != was.generation() || !is.node().equals(was.node())) {
          changes.putIfAbsent(was.taskId(), was + " became " + is + " at " + at + " ms");
        } else if (t.hasMigration()) {
          changes.putIfAbsent(was.taskId(), was + " began migrating (" + t.getMigration().getReason() + ", to "
              + t.getMigration().getToNode() + ") at " + at + " ms");
        } else if (!ticking(was, since)) {
          changes.putIfAbsent(was.taskId(), was + " stopped ticking at " + at + " ms");
        }
      }
      Thread.sleep(POLL_MS);
    }
    return changes;
  }

  /** Waits until every task has ended (after {@link MovableWorkload#stop}) and none of its generations ticks. */
  public void awaitStopped(Duration within) throws TimeoutException {
    Conditions.await(within, "every task ended and silent", () -> {
      Map<String, Task> tasks = tasks();
      long since = System.nanoTime() - TICKING.toNanos();
      boolean ended = !tasks.isEmpty() && tasks.values().stream().allMatch(t -> t.getFinishedAtMs() > 0)
          && sink.lives().stream().noneMatch(l -> tasks.containsKey(l.taskId()) && l.lastTick() >= since);
      return ended ? Optional.of(true) : Optional.empty();
    }, this::describe);
  }

  /**
   * The make-before-break migrations that wait for a handover: for each, its new instance's
   * replicated state and readiness, how long it has run, and whether its agent's log says its
   * readiness check passed ({@code event=allocation_ready}), one line each.
   */
  public List<String> awaitingHandover() {
    List<String> out = new ArrayList<>();
    long nowMs = System.currentTimeMillis();
    for (Task t : tasks().values()) {
      if (!t.hasMigration() || !t.getMigration().getMakeBeforeBreak() || t.getMigration().getHandedOverAtMs() > 0) {
        continue;
      }
      Allocation a = t.getAllocation();
      String agentSays = readyLine(a.getNode(), a.getId()).map(l -> "its agent logged: " + l)
          .orElse("its agent logged no event=allocation_ready for it");
      out.add(t.getId() + ": new instance " + a.getId() + " on " + a.getNode() + " " + a.getState()
          + (a.getStartedAtMs() > 0 ? " for " + (nowMs - a.getStartedAtMs()) + " ms" : "") + ", replicated ready="
          + a.getReady() + "; old " + t.getMigration().getOld().getId() + " on " + t.getMigration().getFromNode()
          + " " + t.getMigration().getOld().getState() + "; " + agentSays);
    }
    return out;
  }

  /** The agent's log line saying the allocation's readiness check passed, if any. */
  private Optional<String> readyLine(String agent, String allocationId) {
    if (cluster.agents().stream().noneMatch(a -> a.id().equals(agent))) {
      return Optional.empty();
    }
    try {
      return cluster.agent(agent).readyLine(allocationId);
    } catch (IllegalStateException e) {
      return Optional.of("(" + e.getMessage() + ": " + e.getCause() + ")");
    }
  }

  /** The nodes as the leader sees them; empty while the cluster does not answer. */
  public List<Node> nodes() {
    try {
      return client.listNodes();
    } catch (OagException e) {
      return List.of();
    }
  }

  /** Every task of the workload by id; empty while the cluster does not answer. */
  private Map<String, Task> tasks() {
    Map<String, Task> out = new LinkedHashMap<>();
    try {
      for (String id : workload.ids()) {
        out.put(id, client.get(id));
      }
    } catch (OagException e) {
      return Map.of();
    }
    return out;
  }

  private boolean ticking(Placement p, long sinceNanos) {
    return sink.life(p.taskId(), p.generation()).filter(l -> l.lastTick() >= sinceNanos).isPresent();
  }

  private boolean agentsUp() {
    return FleetWatch.agentsUp(cluster, nodes());
  }

  /** The processes, the nodes, the tasks and the lives at the sink, one per line (for a timeout's message). */
  public String describe() {
    StringBuilder b = new StringBuilder(cluster.describe());
    nodes().forEach(n -> b.append("node ").append(n.getId()).append(' ').append(n.getState()).append(' ')
        .append(n.getEligibility()).append(n.getConnected() ? " connected" : " not connected")
        .append(" heartbeat age ").append(n.getLastHeartbeatAgeMs()).append(" ms, used ")
        .append(n.getUsed().getCpuMillis()).append("m/").append(n.getCapacity().getCpuMillis()).append("m ")
        .append(n.getUsed().getMemoryMib()).append("Mi/").append(n.getCapacity().getMemoryMib()).append("Mi, ")
        .append(n.getTasks()).append(" tasks\n"));
    tasks().values().forEach(t -> b.append(Placement.of(t)).append(t.getAllocation().getReady() ? " ready" : "")
        .append(t.hasMigration() ? " migrating off " + t.getMigration().getFromNode() + " (" + t.getMigration()
            .getReason() + ") to " + t.getMigration().getToNode() + (t.getMigration().getBlocked().isEmpty() ? ""
            : ", blocked: " + t.getMigration().getBlocked()) : "")
        .append(" - ").append(t.getMessage()).append('\n'));
    long now = System.nanoTime();
    for (Life l : sink.lives()) {
      b.append("life ").append(l.taskId()).append(" gen ").append(l.generation()).append(" last tick ")
          .append((now - l.lastTick()) / 1_000_000).append(" ms ago\n");
    }
    return b.toString();
  }
}
