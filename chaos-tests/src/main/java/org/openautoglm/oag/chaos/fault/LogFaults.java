package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.chaos.cluster.NodeView;

/**
 * Faults on the Raft log: a follower left so far behind that the entries it needs are gone
 * from every other member's log, so it can only catch up by installing a checkpoint from the
 * leader. Needs a cluster started {@link ClusterSpec#withFrequentSnapshots} (it purges up to
 * each snapshot) and writes going on meanwhile: these faults write nothing themselves.
 */
public final class LogFaults {
  /** How long {@link #lagFollower()} waits for the others to purge past the follower. */
  public static final Duration PURGE_WITHIN = Duration.ofSeconds(60);
  /** The name of {@link #lagFollower}'s fault. */
  public static final String LAG_FOLLOWER = "lag-follower";
  /**
   * Entries a leader may hold beyond the highest applied index (appended, not yet committed),
   * any of which a follower may have been sent before it stopped.
   */
  private static final long IN_FLIGHT = 64;

  private LogFaults() {}

  /** {@link #lagFollower(Duration)} waiting at most {@link #PURGE_WITHIN}. */
  public static Fault lagFollower() {
    return lagFollower(PURGE_WITHIN);
  }

  /**
   * SIGSTOPs a follower (the first in id order that runs), then waits, at most {@code within},
   * until every other running member's log starts past any entry the follower can have, so
   * that whoever leads has purged what the follower needs next. Heal is SIGCONT: the follower
   * must then install a checkpoint to catch up (its snapshot installs go up). When the purge
   * does not come in time (no writes, say) the follower is continued and the injection fails.
   */
  public static Fault lagFollower(Duration within) {
    return Fault.of(LAG_FOLLOWER, cluster -> {
      if (!cluster.spec().compaction().purgeToSnapshot()) {
        throw new IllegalStateException("this cluster keeps what a follower needs in its log: "
            + "start it withFrequentSnapshots()");
      }
      CoordinatorProcess leader = cluster.awaitLeader(Fault.FIND_LEADER);
      CoordinatorProcess follower = cluster.nodes().stream()
          .filter(n -> n != leader && n.running() && !n.paused()).findFirst()
          .orElseThrow(() -> new IllegalStateException("no running follower to leave behind"));
      follower.pause();
      try {
        // Whatever the follower was sent before it stopped, the leader held by now.
        long mark = cluster.views().values().stream().mapToLong(NodeView::appliedIndex).max().orElse(0)
            + IN_FLIGHT;
        List<CoordinatorProcess> others = cluster.nodes().stream().filter(n -> n != follower).toList();
        Conditions.await(within, "every member but " + follower.id() + " purged past index " + mark,
            () -> purgedPast(others, mark), () -> logStarts(cluster));
      } catch (Exception | Error e) {
        follower.resume();
        throw e;
      }
      return Fault.injection(follower.id(), follower::resume);
    });
  }

  private static Optional<Boolean> purgedPast(List<CoordinatorProcess> others, long mark) {
    for (CoordinatorProcess n : others) {
      OptionalLong start = n.raftLogStart();
      if (n.running() && (start.isEmpty() || start.getAsLong() <= mark)) {
        return Optional.empty();
      }
    }
    return Optional.of(true);
  }

  private static String logStarts(ChaosCluster cluster) {
    StringBuilder b = new StringBuilder();
    Map<String, NodeView> views = cluster.views();
    for (CoordinatorProcess n : cluster.nodes()) {
      b.append(n.id()).append(" log starts at ").append(n.raftLogStart()).append(", applied ")
          .append(views.containsKey(n.id()) ? views.get(n.id()).appliedIndex() : "?").append('\n');
    }
    return b.append(cluster.describe()).toString();
  }
}
