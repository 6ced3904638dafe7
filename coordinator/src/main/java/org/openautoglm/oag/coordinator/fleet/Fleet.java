package org.openautoglm.oag.coordinator.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;

/**
 * The leader's in-memory table of its agents: who has a session now, when each node was
 * last heard from (also as a deadline queue, the longest silent first), its latest host and
 * process metrics, and what its desired set was built from. Nothing here is replicated; a
 * leader that steps down {@linkplain #clear() clears} it and a new one starts empty (agents
 * reconnect and say hello within a heartbeat or two). Thread-safe.
 */
public final class Fleet implements FleetView {

  private record Heard(long atNanos, HostMetrics host, Map<String, ProcessMetrics> processes) {}

  /** A node's place in the deadline queue: when it was last heard. */
  private record HeardAt(long atNanos, String node) implements Comparable<HeardAt> {
    @Override
    public int compareTo(HeardAt o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : node.compareTo(o.node);
    }
  }

  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Heard> heard = new ConcurrentHashMap<>();
  /** Every node of {@link #heard} by the time it was last heard, longest ago first. */
  private final ConcurrentSkipListSet<HeardAt> byAge = new ConcurrentSkipListSet<>();
  private final ConcurrentHashMap<String, DesiredCache> desired = new ConcurrentHashMap<>();
  /** Allocation id -> node, for metric lookups by allocation. */
  private final ConcurrentHashMap<String, String> allocationNodes = new ConcurrentHashMap<>();

  /** @param nanoClock a monotonic clock (System::nanoTime; a fake in tests) */
  public Fleet(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Makes {@code session} the node's session. Refused (false) while another session of the same
   * node from a different agent boot is open; a session of the same boot replaces the old one,
   * which is closed (its agent reconnected before this side noticed the old stream was gone).
   */
  boolean attach(AgentSession session) {
    AgentSession[] replaced = new AgentSession[1];
    boolean[] refused = new boolean[1];
    sessions.compute(session.node(), (node, old) -> {
      if (old == null || old == session) {
        return session;
      }
      if (!old.bootId().equals(session.bootId())) {
        refused[0] = true;
        return old;
      }
      replaced[0] = old;
      return session;
    });
    if (replaced[0] != null) {
      replaced[0].end(io.grpc.Status.ABORTED.withDescription("replaced by a newer session of the same agent"));
    }
    return !refused[0];
  }

  /** Forgets {@code session} if it is still the node's session. */
  void detach(AgentSession session) {
    sessions.remove(session.node(), session);
  }

  Optional<AgentSession> session(String node) {
    return Optional.ofNullable(sessions.get(node));
  }

  Collection<AgentSession> sessions() {
    return List.copyOf(sessions.values());
  }

  /** What {@code node}'s desired set was last built from, kept across its sessions. */
  DesiredCache desired(String node) {
    return desired.computeIfAbsent(node, DesiredCache::new);
  }

  /** Records a heartbeat (or hello) of {@code node} now. */
  void heard(String node, HostMetrics host, List<AllocationStatus> allocations) {
    Map<String, ProcessMetrics> processes = new java.util.HashMap<>();
    for (AllocationStatus s : allocations) {
      if (s.hasMetrics()) {
        processes.put(s.getAllocationId(), s.getMetrics());
      }
    }
    Map<String, ProcessMetrics> latest = Map.copyOf(processes);
    Heard before = record(node, old -> new Heard(nanoClock.getAsLong(), host, latest));
    if (before != null) {
      before.processes().keySet().stream().filter(id -> !processes.containsKey(id))
          .forEach(id -> allocationNodes.remove(id, node));
    }
    processes.keySet().forEach(id -> allocationNodes.put(id, node));
  }

  /**
   * Counts {@code node} as heard now, keeping its last metrics: its agent is registering, so
   * whatever silence came before is over (and a node registered back UP is not taken for
   * one still silent before its first heartbeat).
   */
  void touch(String node) {
    record(node, h -> h == null ? new Heard(nanoClock.getAsLong(), null, Map.of())
        : new Heard(nanoClock.getAsLong(), h.host(), h.processes()));
  }

  /** Replaces what is known of {@code node} with {@code next} of it, queue included; returns the old. */
  private Heard record(String node, UnaryOperator<Heard> next) {
    Heard[] before = new Heard[1];
    heard.compute(node, (n, old) -> {   // one update of a node at a time: the queue stays in step
      Heard now = next.apply(old);
      if (old != null) {
        byAge.remove(new HeardAt(old.atNanos(), n));
      }
      byAge.add(new HeardAt(now.atNanos(), n));
      before[0] = old;
      return now;
    });
    return before[0];
  }

  /** Forgets everything: this node no longer leads. Sessions must be ended by the caller. */
  void clear() {
    sessions.clear();
    heard.clear();
    byAge.clear();
    desired.clear();
    allocationNodes.clear();
  }

  @Override
  public long heartbeatAgeMs(String node) {
    Heard h = heard.get(node);
    return h == null ? -1 : Math.max(0, (nanoClock.getAsLong() - h.atNanos()) / 1_000_000);
  }

  @Override
  public List<String> silentFor(long minMs) {
    long heardBefore = nanoClock.getAsLong() - minMs * 1_000_000;
    List<String> silent = new ArrayList<>();
    for (HeardAt h : byAge) {
      if (h.atNanos() > heardBefore) {
        break;
      }
      silent.add(h.node());
    }
    return silent;
  }

  @Override
  public boolean connected(String node) {
    return sessions.containsKey(node);
  }

  @Override
  public Optional<HostMetrics> host(String node) {
    Heard h = heard.get(node);
    return h == null || h.host() == null ? Optional.empty() : Optional.of(h.host());
  }

  @Override
  public Optional<ProcessMetrics> process(String allocationId) {
    String node = allocationNodes.get(allocationId);
    Heard h = node == null ? null : heard.get(node);
    return h == null ? Optional.empty() : Optional.ofNullable(h.processes().get(allocationId));
  }
}
