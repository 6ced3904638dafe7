package org.openautoglm.oag.bench.fleet;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which coordinator a simulated agent dials. With {@link AgentsConfig.Connect#LEADER}: the
 * leader's API address as the last cluster status named it, looked up again (on {@code
 * refresher}, at most every {@link #MIN_REFRESH_NANOS}) when an agent's session or register
 * there fails; while no leader is known, the coordinators in turn (a follower relays to the
 * leader, as for a real agent). With {@link AgentsConfig.Connect#ANY}: the coordinators in
 * turn, agent {@code k}'s attempt {@code a} on the {@code (k + a)}-th, as real agents, which
 * keep whichever coordinator answers first, end up spread. Thread-safe.
 */
final class LeaderLocator {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLocator.class);
  static final long MIN_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final List<String> addresses;
  private final AgentsConfig.Connect mode;
  private final Supplier<ClusterStatus> status;
  private final Executor refresher;
  private final LongSupplier clock;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile String leader;          // API address; null: none known
  private volatile long refreshedNanos;

  LeaderLocator(List<String> addresses, AgentsConfig.Connect mode, Supplier<ClusterStatus> status,
      Executor refresher, LongSupplier clock) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no coordinator addresses");
    }
    this.addresses = List.copyOf(addresses);
    this.mode = mode;
    this.status = status;
    this.refresher = refresher;
    this.clock = clock;
    this.refreshedNanos = clock.getAsLong() - MIN_REFRESH_NANOS;
  }

  /** The coordinator for agent {@code k}'s attempt {@code attempt} (counted from 0). */
  String target(int k, long attempt) {
    String l = leader;
    if (mode == AgentsConfig.Connect.LEADER && l != null) {
      return l;
    }
    return addresses.get((int) Math.floorMod(k + attempt, (long) addresses.size()));
  }

  /** The leader's API address as last seen; null while none is known. */
  String leader() {
    return leader;
  }

  /** Something failed at {@code target}: the leader may have changed; looks again soon. */
  void suspect(String target) {
    if (mode != AgentsConfig.Connect.LEADER) {
      return;
    }
    String l = leader;
    if (l != null && !l.equals(target)) {
      return;   // an agent still on a relay, or an old leader: the one known now is newer
    }
    if (clock.getAsLong() - refreshedNanos < MIN_REFRESH_NANOS || !refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(() -> {
        try {
          refresh();
        } finally {
          refreshing.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      refreshing.set(false);   // closing
    }
  }

  /** Asks for the cluster status now, on this thread; keeps what it was before when that fails. */
  void refresh() {
    refreshedNanos = clock.getAsLong();
    try {
      seen(status.get());
    } catch (RuntimeException e) {
      LOG.warn("event=sim_leader_lookup_failed reason=\"{}\"", e.toString());
    }
  }

  /** Takes the leader from a cluster status the caller already has. */
  void seen(ClusterStatus s) {
    String found = leaderAddress(s);
    if (found == null || !found.equals(leader)) {
      LOG.info("event=sim_leader_seen address={}", found == null ? "none" : found);
    }
    leader = found;
  }

  /** The leader's API address in {@code s}, or null when it names none (or no address for it). */
  static String leaderAddress(ClusterStatus s) {
    if (s.getLeader().isEmpty()) {
      return null;
    }
    return s.getMembersList().stream().filter(m -> m.getId().equals(s.getLeader()))
        .map(Member::getApiAddress).filter(a -> !a.isEmpty()).findFirst().orElse(null);
  }
}
