package org.openautoglm.oag.chaos.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.chaos.cluster.AgentProcess;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.cluster.HostProcess;
import org.openautoglm.oag.chaos.failover.EventLog;
import org.openautoglm.oag.chaos.failover.FleetWatch;
import org.openautoglm.oag.chaos.failover.Placement;
import org.openautoglm.oag.chaos.failover.ReporterWorkload;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.sink.Life;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One drain of an agent running a {@link ReporterWorkload}, from a steady state (see {@link
 * FleetWatch}) back to one: {@code drain(victim)}, optionally a fault injected once the drain
 * has begun migrations and healed once a leader is back, then a wait for the drain to end,
 * then for every moved task to run elsewhere and the cluster to be steady. What it measured is
 * a {@link DrainResult}; the checks are the caller's.
 *
 * <p>Clocks: the sink stamps ticks with {@link System#nanoTime()}, and every time here is on
 * that clock, from the drain call: the drain is "complete" at the moment this harness first
 * read it so ({@code draining} false with a new {@code last} report), which is after the leader
 * committed it. Every old run must have ticked last before that moment and its process group
 * must be gone right after it. The leader's wall-clock times are used only for its report's
 * own duration and to order its {@code node.drained} event after a fault (same host).
 *
 * <p>Nothing sleeps for a fixed time: every step waits for its condition, bounded. Used from one thread.
 */
public final class DrainRound {
  private static final Logger log = LoggerFactory.getLogger(DrainRound.class);
  private static final Set<String> MIGRATION_EVENTS = Set.of("node.draining", "node.drained", "task.migrating",
      "task.handover", "task.migrated", "task.migration_failed");

  private final ChaosCluster cluster;
  private final FleetWatch watch;
  private final CoordinatorClient client;
  private final ReporterWorkload workload;
  private final Duration within;

  public DrainRound(ChaosCluster cluster, FleetWatch watch, Duration within) {
    this.cluster = cluster;
    this.watch = watch;
    this.client = watch.client();
    this.workload = watch.workload();
    this.within = within;
  }

  /**
   * Undoes what earlier drains left: a drain still in progress is cancelled and every cordoned
   * agent is made eligible again. Read failures propagate (the caller's setup fails).
   */
  public void releaseAgents() {
    for (Node n : client.listNodes()) {
      if (cluster.agents().stream().noneMatch(a -> a.id().equals(n.getId()))) {
        continue;
      }
      if (n.getDraining()) {
        log.info("event=drain_cancelled node={} reason=\"left by an earlier test\"", n.getId());
        client.cancelDrain(n.getId());
      }
      if (n.getEligibility() == NodeEligibility.NODE_CORDONED) {
        client.uncordon(n.getId());
      }
    }
  }

  /**
   * Drains {@code victim} with {@code deadline}. When {@code during} is not null it is injected
   * once the drain reports a migration begun and is still draining, and healed once a leader
   * answers again.
   */
  public DrainResult run(String victim, Duration deadline, Fault during) throws Exception {
    Map<String, Placement> before = watch.awaitSteady(within);
    List<Placement> moved = before.values().stream().filter(p -> p.runningOn(victim)).toList();
    if (moved.isEmpty()) {
      throw new IllegalStateException("no task runs on " + victim + ": " + before.values());
    }
    Map<String, HostProcess> oldGroups = processGroups(victim, moved);
    long previousDrain = lastDrainStart(victim);
    long eventsFrom = EventLog.appliedIndex(client);
    List<String> ids = moved.stream().map(Placement::taskId).toList();
    try (TickGaps gaps = TickGaps.start(watch.sink(), ids)) {
      long t0 = System.nanoTime();
      client.drain(victim, deadline);
      log.info("event=drain_round_started victim={} deadline_ms={} tasks={}", victim, deadline.toMillis(), moved);
      FaultMark fault = during == null ? FaultMark.NONE : injectDuring(during, victim, previousDrain, t0);
      LongestStatus longest = new LongestStatus();
      DrainStatusReply done = awaitDrained(victim, previousDrain, deadline.plus(within), longest);
      long complete = System.nanoTime();
      List<String> aliveAtComplete = oldGroups.entrySet().stream().filter(e -> e.getValue().alive())
          .map(Map.Entry::getKey).toList();
      log.info("event=drain_round_complete victim={} at_ms={} outcome={} old_alive={}", victim,
          (complete - t0) / 1_000_000, done.getLast().getOutcome(), aliveAtComplete);
      Map<String, Placement> after = awaitMoved(moved, victim);
      long allRunningMs = sinceMs(t0);
      watch.awaitSteady(within);
      gaps.close();
      List<Event> events = EventLog.since(client, eventsFrom);
      Map<String, List<String>> byTask = migrationEvents(events, victim, Set.copyOf(ids));
      List<DrainResult.Move> moves = new ArrayList<>();
      for (Placement old : moved) {
        moves.add(move(old, after.get(old.taskId()), t0, byTask));
      }
      List<TickGaps.Gap> gated = moves.stream().filter(DrainResult.Move::gated)
          .map(m -> gaps.largest(m.taskId(), t0, complete)).toList();
      long drainedAfterFault = during == null ? 0 : events.stream().filter(e -> e.getType().equals("node.drained")
          && e.getNode().equals(victim)).mapToLong(Event::getTimeMs).findFirst().orElse(0) - fault.wallMs();
      Node node = client.listNodes().stream().filter(n -> n.getId().equals(victim)).findFirst().orElseThrow();
      DrainResult result = new DrainResult(victim, (complete - t0) / 1_000_000, done.getLast(),
          during == null ? "" : during.name(), fault.atMs(), fault.migrated(), drainedAfterFault, moves, gated,
          gaps.overflowed(), aliveAtComplete, allRunningMs, node.getTasks(),
          client.drainStatus(victim).getRemainingCount(), byTask, longest.toString());
      log.info("event=drain_round_done {}", result.summary());
      return result;
    }
  }

  /**
   * The process group of each allocation on {@code victim}, by allocation id; taken before the
   * drain, as the agent may remove an allocation's folder once it stopped it.
   */
  private Map<String, HostProcess> processGroups(String victim, List<Placement> on) {
    AgentProcess agent = cluster.agent(victim);
    Map<String, HostProcess> groups = new TreeMap<>();
    for (Placement p : on) {
      groups.put(p.allocationId(), agent.allocationGroup(p.allocationId()).orElseThrow(() ->
          new IllegalStateException(victim + " recorded no process group for " + p)));
    }
    return groups;
  }

  /** When a fault hit the drain: ms after the drain call, wall clock, migrations begun by then. */
  private record FaultMark(long atMs, long wallMs, int migrated) {
    static final FaultMark NONE = new FaultMark(-1, 0, -1);
  }

  /**
   * Injects {@code fault} once the drain has begun a migration and still drains, waits for a
   * leader and heals it (also when that wait fails).
   */
  private FaultMark injectDuring(Fault fault, String victim, long previousDrain, long t0) throws Exception {
    int migrated = awaitMigrationBegun(victim, previousDrain).getMigrated();
    FaultMark mark = new FaultMark(sinceMs(t0), System.currentTimeMillis(), migrated);
    Fault.Injection injection = fault.inject(cluster);
    log.info("event=drain_round_fault fault={} target={} at_ms={} migrated={}", fault.name(), injection.target(),
        mark.atMs(), migrated);
    try {
      cluster.awaitLeader(within);
      injection.heal();
      injection = null;
    } finally {
      healQuietly(injection);
    }
    return mark;
  }

  private DrainResult.Move move(Placement old, Placement now, long t0, Map<String, List<String>> events)
      throws TimeoutException {
    Life first = Conditions.await(within, "the first tick of " + now,
        () -> watch.sink().life(now.taskId(), now.generation()), watch::describe);
    long oldLast = watch.sink().life(old.taskId(), old.generation()).map(Life::lastTick).orElse(t0);
    boolean exclusive = workload.exclusive(old.taskId());
    boolean handedOver = events.getOrDefault(old.taskId(), List.of()).stream()
        .anyMatch(e -> e.startsWith("task.handover"));
    String ready = cluster.agent(now.node()).readyLine(now.allocationId()).orElse("");
    return new DrainResult.Move(old.taskId(), exclusive, !exclusive && workload.readinessGated(),
        old.generation(), now.generation(), now.node(), now.allocationId(), (first.firstTick() - t0) / 1_000_000,
        (oldLast - t0) / 1_000_000, handedOver, ready);
  }

  /** The start of the node's last ended drain, 0 when none ended. */
  private long lastDrainStart(String victim) {
    DrainStatusReply s = client.drainStatus(victim);
    return s.hasLast() ? s.getLast().getStartedAtMs() : 0;
  }

  private DrainStatusReply awaitMigrationBegun(String victim, long previousDrain) throws TimeoutException {
    return Conditions.await(within, victim + "'s drain with a migration begun", () -> {
      DrainStatusReply s = status(victim).orElse(null);
      if (s == null) {
        return Optional.empty();
      }
      if (ended(s, previousDrain)) {
        throw new IllegalStateException(victim + "'s drain ended before any fault could be injected: "
            + s.getLast());
      }
      return s.getDraining() && s.getMigrated() > 0 ? Optional.of(s) : Optional.empty();
    }, () -> describeDrain(victim));
  }

  /**
   * Waits for the drain to end; {@code longest} learns every status read while it went on with
   * something live on the node.
   */
  private DrainStatusReply awaitDrained(String victim, long previousDrain, Duration bound, LongestStatus longest)
      throws TimeoutException {
    return Conditions.await(bound, victim + "'s drain ended", () -> {
      Optional<DrainStatusReply> s = status(victim);
      s.filter(r -> r.getDraining() && r.getRemainingCount() > 0).ifPresent(r -> longest.see(describe(r)));
      return s.filter(r -> ended(r, previousDrain));
    }, () -> describeDrain(victim));
  }

  /** The drain status that stayed the same for longest while it was read: what the drain was stuck on, if anything. */
  private static final class LongestStatus {
    private String current = "";
    private long since;
    private long lastSeen;
    private String longest = "";
    private long longestNanos = -1;

    void see(String status) {
      long now = System.nanoTime();
      if (!status.equals(current)) {
        current = status;
        since = now;
      }
      lastSeen = now;
      if (lastSeen - since > longestNanos) {
        longestNanos = lastSeen - since;
        longest = current;
      }
    }

    @Override
    public String toString() {
      return longest.isEmpty() ? "" : longest + " (read unchanged for " + longestNanos / 1_000_000 + " ms)";
    }
  }

  private static boolean ended(DrainStatusReply s, long previousDrain) {
    return !s.getDraining() && s.hasLast() && s.getLast().getStartedAtMs() != previousDrain;
  }

  private Optional<DrainStatusReply> status(String victim) {
    try {
      return Optional.of(client.drainStatus(victim));
    } catch (OagException e) {
      return Optional.empty();
    }
  }

  private Map<String, Placement> awaitMoved(List<Placement> moved, String victim) throws TimeoutException {
    return Conditions.await(within, "every task of " + victim + " RUNNING elsewhere", () -> {
      Map<String, Placement> now = watch.placements();
      boolean all = !now.isEmpty()
          && moved.stream().allMatch(p -> now.get(p.taskId()).runningElsewhere(victim, p.generation()));
      return all ? Optional.of(now) : Optional.empty();
    }, () -> describeDrain(victim));
  }

  /** Each moved task's migration and allocation events, and the node's drain events, in order. */
  private static Map<String, List<String>> migrationEvents(List<Event> events, String victim, Set<String> tasks) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Event e : events) {
      boolean ofNode = e.getTaskId().isEmpty() && e.getNode().equals(victim) && MIGRATION_EVENTS.contains(e.getType());
      boolean ofTask = tasks.contains(e.getTaskId())
          && (MIGRATION_EVENTS.contains(e.getType()) || e.getType().startsWith("allocation."));
      if (ofNode || ofTask) {
        out.computeIfAbsent(ofNode ? victim : e.getTaskId(), k -> new ArrayList<>())
            .add(e.getType() + (e.getNode().isEmpty() ? "" : "@" + e.getNode()));
      }
    }
    return out;
  }

  /** The drain's status (what each live allocation on the node waits for), then the fleet. */
  private String describeDrain(String victim) {
    return status(victim).map(DrainRound::describe).orElse("drain of " + victim + ": status unanswered") + "\n"
        + watch.describe();
  }

  /** A drain status on one line: whether it drains, how many migrations began, what each live allocation waits for. */
  static String describe(DrainStatusReply s) {
    return "drain of " + s.getNodeId() + ": draining=" + s.getDraining() + " migrated=" + s.getMigrated()
        + " remaining=" + s.getRemainingList().stream().map(i -> i.getTaskId() + " " + i.getAllocationId() + " "
            + i.getState() + " waiting for " + i.getWaitingFor()).collect(Collectors.joining("; ", "[", "]"))
        + (s.hasLast() ? " last=" + s.getLast().getOutcome() + "@" + s.getLast().getEndedAtMs() : "");
  }

  private static long sinceMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void healQuietly(Fault.Injection injection) {
    if (injection == null) {
      return;
    }
    try {
      injection.heal();
    } catch (Exception e) {
      log.warn("event=drain_round_heal_failed target={} reason=\"{}\"", injection.target(), e.toString());
    }
  }
}
