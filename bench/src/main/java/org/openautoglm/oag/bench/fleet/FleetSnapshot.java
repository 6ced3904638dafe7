package org.openautoglm.oag.bench.fleet;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.bench.Latency;
import org.openautoglm.oag.client.CoordinatorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet at the end of the measured phase, before it ends: sessions, the allocations held
 * RUNNING, each agent's longest send gap, the leader, and the node list as the cluster shows
 * it. A cluster that does not answer leaves its parts unknown (-1, null) rather than failing
 * the run. Immutable once taken.
 */
final class FleetSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSnapshot.class);

  private int up;
  private int relayed;
  private int running;
  private int nodesUp = -1;
  private String leader;
  private long term = -1;
  private final Histogram gapMicros = new Histogram(3);
  private int gapsOverTtl;

  private FleetSnapshot() {}

  static FleetSnapshot take(SimAgent[] agents, CoordinatorClient client, DownWatch watch, long ttlNanos,
      LeaderLocator locator) {
    FleetSnapshot s = new FleetSnapshot();
    String leaderAddress = locator.leader();
    try {
      ClusterStatus status = client.clusterStatus();
      s.leader = AgentSimulation.blankToNull(status.getLeader());
      s.term = s.leader == null ? -1 : status.getTerm();
      String a = LeaderLocator.leaderAddress(status);
      leaderAddress = a != null ? a : leaderAddress;
    } catch (RuntimeException e) {
      LOG.warn("event=sim_status_failed error=\"{}\"", e.toString());
    }
    long now = System.nanoTime();
    for (SimAgent a : agents) {
      if (a.state() == SimAgent.State.ESTABLISHED) {
        s.up++;
        if (leaderAddress != null && !leaderAddress.equals(a.target())) {
          s.relayed++;
        }
      }
      s.running += a.runningAllocations();
      long gap = a.longestGapNanos(now);
      s.gapMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(gap));
      if (gap >= ttlNanos) {
        s.gapsOverTtl++;
      }
    }
    try {
      List<Node> nodes = client.listNodes();
      s.nodesUp = (int) nodes.stream().filter(x -> watch.index(x.getId()) >= 0 && x.getState() == NodeState.NODE_UP
          && x.getConnected()).count();
    } catch (RuntimeException e) {
      LOG.warn("event=sim_node_list_failed error=\"{}\"", e.toString());
    }
    return s;
  }

  AgentsReport.Sessions sessions(Double rampUp, SimStats stats, int agents, int channels) {
    return new AgentsReport.Sessions(rampUp, stats.registeredCount(), stats.everEstablished(agents), up, relayed,
        nodesUp, stats.reconnects(), stats.failures(), stats.staleDroppedCount(), channels);
  }

  /** The shards' counts, the acks recorded so far (take it once they have settled), the gaps. */
  AgentsReport.Heartbeats heartbeats(List<HeartbeatShard> shards, SimStats stats) {
    long sent = 0;
    long skipped = 0;
    long missed = 0;
    Histogram late = new Histogram(3);
    for (HeartbeatShard shard : shards) {
      HeartbeatShard.Totals t = shard.totals();
      sent += t.sent();
      skipped += t.skipped();
      missed += t.missed();
      late.add(t.lateMicros());
    }
    return new AgentsReport.Heartbeats(sent, skipped, missed, Latency.ofMicros(late), stats.acks(),
        Latency.ofMicros(stats.takeAckMicros()), gapMicros.getMaxValue() / 1000.0,
        gapMicros.getValueAtPercentile(99) / 1000.0, gapsOverTtl);
  }

  int running() {
    return running;
  }

  String leader() {
    return leader;
  }

  long term() {
    return term;
  }
}
