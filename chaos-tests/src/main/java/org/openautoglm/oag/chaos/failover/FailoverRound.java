package org.openautoglm.oag.chaos.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.chaos.cluster.AgentProcess;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.cluster.HostProcess;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.sink.Life;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of a fault on one agent of a cluster running a {@link ReporterWorkload}, from a
 * steady state (see {@link FleetWatch}) back to one.
 *
 * <ul>
 *   <li>{@link #run}: a fault that must cause a failover (the agent dead, frozen or cut off
 *       past the TTL). Every task that ran there must be RUNNING on another node in a later
 *       generation; then the fault is healed, the agent must be back (UP, connected), every
 *       instance left on it from before the fault dead, and the cluster steady again.
 *   <li>{@link #hold}: a fault that must not (the agent cut off from the leader only, still
 *       reaching the followers): held for a while, during which every task must stay where it
 *       was and keep ticking; then healed.
 * </ul>
 *
 * <p>Nothing here sleeps for a fixed time: every step waits for its condition, bounded by
 * {@code within}, and {@link #hold} watches for the time it was asked to. Clocks: the fault's
 * moment is taken on this JVM's wall clock (to compare with the coordinators' replicated
 * times: same host) and on {@link System#nanoTime()}, the sink's clock (to compare with
 * ticks). Used from one thread.
 */
public final class FailoverRound {
  private static final Logger log = LoggerFactory.getLogger(FailoverRound.class);
  private static final long POLL_MS = 100;

  private final ChaosCluster cluster;
  private final FleetWatch watch;
  private final Duration within;

  public FailoverRound(ChaosCluster cluster, FleetWatch watch, Duration within) {
    this.cluster = cluster;
    this.watch = watch;
    this.within = within;
  }

  /** When a fault was injected: the event log's index then, the wall clock and the sink's clock. */
  private record Mark(long eventsFrom, long wallMs, long nanos) {
    long sinceMs() {
      return (System.nanoTime() - nanos) / 1_000_000;
    }
  }

  private Mark mark() {
    return new Mark(EventLog.appliedIndex(watch.client()), System.currentTimeMillis(), System.nanoTime());
  }

  /**
   * Runs a failover round: {@code agentFault} on {@code victim}; if {@code during} is not
   * null, it is injected the moment every available task of the victim has been declared LOST
   * (the reassignment under way, the exclusive ones still waiting for the TTL) and healed with
   * the agent's fault.
   */
  public RoundResult run(String victim, Fault agentFault, Fault during) throws Exception {
    Map<String, Placement> before = watch.awaitSteady(within);
    List<Placement> moved = before.values().stream().filter(p -> p.runningOn(victim)).toList();
    if (moved.isEmpty()) {
      throw new IllegalStateException("no task runs on " + victim + ": " + before.values());
    }
    AgentProcess agent = cluster.agent(victim);
    // Taken before the fault: the agent may remove an allocation's folder once it stopped it.
    Map<String, HostProcess> stale = new TreeMap<>();
    for (Placement p : moved) {
      stale.put(p.allocationId(), agent.allocationGroup(p.allocationId()).orElseThrow(() ->
          new IllegalStateException(victim + " recorded no process group for " + p)));
    }
    Mark mark = mark();
    Fault.Injection injection = agentFault.inject(cluster);
    log.info("event=round_fault fault={} victim={} tasks={}", agentFault.name(), victim, moved);
    Fault.Injection second = null;
    try {
      long secondMs = -1;
      if (during != null) {
        awaitAvailableLost(moved, victim);
        secondMs = mark.sinceMs();
        second = during.inject(cluster);
        log.info("event=round_second_fault fault={} target={} at_ms={}", during.name(), second.target(), secondMs);
      }
      Map<String, Placement> after = awaitMoved(moved, victim);
      List<Event> events = EventLog.since(watch.client(), mark.eventsFrom());
      List<RoundResult.Recovery> recoveries = new ArrayList<>();
      for (Placement old : moved) {
        recoveries.add(recovery(old, after.get(old.taskId()), events, mark));
      }
      long healMs = mark.sinceMs();
      injection.heal();
      injection = null;
      if (second != null) {
        second.heal();
        second = null;
      }
      long staleMs = afterHeal(victim, stale, mark);
      RoundResult result = new RoundResult(agentFault.name(), victim, during == null ? "" : during.name(),
          secondMs, withLastTicks(recoveries, mark), healMs, staleMs, notKilledByKeeper(agent, moved),
          placedOn(victim, moved, events), downs(victim, mark));
      log.info("event=round_done {}", result.summary());
      return result;
    } finally {
      // A round that failed half-way heals what it injected, so the next can start.
      healQuietly(injection);
      healQuietly(second);
    }
  }

  /**
   * Holds {@code fault} on {@code victim} for {@code holdFor}, watching that nothing moves:
   * every task stays in its generation on its node and keeps ticking. Then heals it and waits
   * for the steady state.
   */
  public HoldResult hold(String victim, Fault fault, Duration holdFor) throws Exception {
    Map<String, Placement> before = watch.awaitSteady(within);
    Mark mark = mark();
    Fault.Injection injection = fault.inject(cluster);
    log.info("event=hold_fault fault={} target={} hold_ms={}", fault.name(), injection.target(), holdFor.toMillis());
    Map<String, String> changes = new TreeMap<>();
    try {
      while (mark.sinceMs() < holdFor.toMillis()) {
        noteChanges(before, changes, mark);
        Thread.sleep(POLL_MS);
      }
    } finally {
      injection.heal();
    }
    watch.awaitSteady(within);
    List<Event> events = EventLog.since(watch.client(), mark.eventsFrom());
    long lost = events.stream().filter(e -> e.getType().equals("allocation.lost")).count();
    HoldResult result = new HoldResult(fault.name(), injection.target(), holdFor.toMillis(),
        changes, downs(victim, mark), (int) lost);
    log.info("event=hold_done {}", result);
    return result;
  }

  /** Records, once per task, a move or a run that stopped ticking. */
  private void noteChanges(Map<String, Placement> before, Map<String, String> changes, Mark mark) {
    Map<String, Placement> now = watch.placements();
    long since = System.nanoTime() - FleetWatch.TICKING.toNanos();
    for (Placement was : before.values()) {
      Placement is = now.get(was.taskId());
      if (is != null && (is.generation() != was.generation() || !is.node().equals(was.node()))) {
        changes.putIfAbsent(was.taskId(), was.taskId() + " moved from generation " + was.generation() + " on "
            + was.node() + " to " + is + " at " + mark.sinceMs() + " ms");
      }
      if (!watch.liveGenerations(was.taskId(), since).contains(was.generation())) {
        changes.putIfAbsent(was.taskId(), was.taskId() + " generation " + was.generation() + " on " + was.node()
            + " stopped ticking at " + mark.sinceMs() + " ms");
      }
    }
  }

  /** Waits for the agent to be back and its stale instances dead, then the steady state; returns when they died. */
  private long afterHeal(String victim, Map<String, HostProcess> stale, Mark mark) throws TimeoutException {
    Conditions.await(within, victim + " UP, connected and heard from again", () -> watch.nodes().stream()
        .filter(n -> n.getId().equals(victim) && FleetWatch.alive(n)).findFirst(), watch::describe);
    Conditions.await(within, "the stale instances on " + victim + " stopped", () ->
        stale.values().stream().noneMatch(HostProcess::alive) ? Optional.of(true) : Optional.empty(),
        () -> watch.describe() + "stale groups alive: " + stale.entrySet().stream().filter(e -> e.getValue().alive())
            .map(Map.Entry::getKey).toList() + "\n");
    long staleMs = mark.sinceMs();
    watch.awaitSteady(within);
    return staleMs;
  }

  private RoundResult.Recovery recovery(Placement old, Placement now, List<Event> events, Mark mark)
      throws TimeoutException {
    Life first = Conditions.await(within, "the first tick of " + now,
        () -> watch.sink().life(now.taskId(), now.generation()), watch::describe);
    long lostAt = events.stream().filter(e -> e.getType().equals("allocation.lost")
        && e.getAllocationId().equals(old.allocationId())).mapToLong(Event::getTimeMs).findFirst().orElse(0);
    return new RoundResult.Recovery(old.taskId(), watch.workload().exclusive(old.taskId()), old.generation(),
        now.generation(), now.node(), lostAt == 0 ? -1 : lostAt - mark.wallMs(), now.startedAtMs() - mark.wallMs(),
        (first.firstTick() - mark.nanos()) / 1_000_000, -1);
  }

  /** The recoveries with each old generation's last tick, final once its process is dead. */
  private List<RoundResult.Recovery> withLastTicks(List<RoundResult.Recovery> recoveries, Mark mark) {
    return recoveries.stream().map(r -> new RoundResult.Recovery(r.taskId(), r.exclusive(), r.oldGeneration(),
        r.newGeneration(), r.newNode(), r.lostMs(), r.runningMs(), r.firstTickMs(),
        watch.sink().life(r.taskId(), r.oldGeneration()).map(l -> (l.lastTick() - mark.nanos()) / 1_000_000)
            .orElse(-1L))).toList();
  }

  /**
   * The allocations of the victim's tasks that were assigned to the victim again after the
   * fault: a silent node must not get back the work taken from it.
   */
  private static List<String> placedOn(String victim, List<Placement> moved, List<Event> events) {
    List<String> ids = moved.stream().map(Placement::taskId).toList();
    return events.stream().filter(e -> e.getType().equals("allocation.assigned") && e.getNode().equals(victim)
        && ids.contains(e.getTaskId())).map(Event::getAllocationId).toList();
  }

  /** How often the victim was declared DOWN since the fault (the event log's {@code node.down}). */
  private int downs(String victim, Mark mark) {
    return (int) EventLog.since(watch.client(), mark.eventsFrom()).stream()
        .filter(e -> e.getType().equals("node.down") && e.getNode().equals(victim)).count();
  }

  private List<String> notKilledByKeeper(AgentProcess agent, List<Placement> moved) {
    Map<String, Long> kills = agent.keeperKills();
    return moved.stream().filter(p -> watch.workload().exclusive(p.taskId()) && !kills.containsKey(p.allocationId()))
        .map(Placement::allocationId).toList();
  }

  private void awaitAvailableLost(List<Placement> moved, String victim) throws TimeoutException {
    List<Placement> available = moved.stream().filter(p -> !watch.workload().exclusive(p.taskId())).toList();
    Conditions.await(within, "the available tasks of " + victim + " declared LOST", () -> {
      Map<String, Placement> now = watch.placements();
      boolean lost = !now.isEmpty() && available.stream().allMatch(p ->
          now.get(p.taskId()).generation() > p.generation() || !now.get(p.taskId()).node().equals(victim));
      return lost ? Optional.of(true) : Optional.empty();
    }, watch::describe);
  }

  private Map<String, Placement> awaitMoved(List<Placement> moved, String victim) throws TimeoutException {
    return Conditions.await(within, "every task of " + victim + " RUNNING elsewhere", () -> {
      Map<String, Placement> now = watch.placements();
      boolean all = !now.isEmpty()
          && moved.stream().allMatch(p -> now.get(p.taskId()).runningElsewhere(victim, p.generation()));
      return all ? Optional.of(now) : Optional.empty();
    }, watch::describe);
  }

  private static void healQuietly(Fault.Injection injection) {
    if (injection == null) {
      return;
    }
    try {
      injection.heal();
    } catch (Exception e) {
      log.warn("event=round_heal_failed target={} reason=\"{}\"", injection.target(), e.toString());
    }
  }
}
