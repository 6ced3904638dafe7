package org.openautoglm.oag.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.fault.LogFaults;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * A follower left behind past the log: coordinators snapshot every 100 entries into 16 KiB
 * segments and purge up to each snapshot; a follower is stopped (SIGSTOP) while a client keeps
 * writing until the other members' logs start past anything it holds, then continued. The
 * only way back is a checkpoint from the leader: its snapshot installs must go up, it must
 * reach the leader's applied index while the writes go on, and once they stop every node has
 * the same digest at the same index with nothing acknowledged lost.
 */
class SnapshotInstallChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;
  private static final long SNAPSHOT_EVERY = 100;
  private static final long SEGMENT_BYTES = 16 << 10;

  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static final Collection<String> acknowledged = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    ClusterSpec spec = ClusterSpec.of(3, ChaosTestSupport.workDir(SnapshotInstallChaosTest.class),
        ChaosTestSupport.namespacesAvailable()).withFrequentSnapshots(SNAPSHOT_EVERY, SEGMENT_BYTES);
    cluster = ChaosCluster.start(spec, WITHIN);
    client = ChaosTestSupport.client(cluster.clientAddresses());
  }

  @AfterAll
  static void stop() throws Exception {
    ChaosTestSupport.closeAll(client, cluster);
  }

  @Test
  void aFollowerBehindThePurgedLogInstallsTheLeadersCheckpointAndCatchesUp() throws Exception {
    try (SteadyWriter writer = SteadyWriter.start(client, acknowledged, 64, "snapshot-install")) {
      writer.awaitMore(20, WITHIN);
      Map<String, NodeView> before = cluster.views();
      long start = System.nanoTime();
      Fault.Injection lag = LogFaults.lagFollower().inject(cluster);
      CoordinatorProcess follower = cluster.node(lag.target());
      long lagged = System.nanoTime();
      lag.heal();

      await(follower.id() + " installing a checkpoint").atMost(WITHIN)
          .until(() -> installs(follower) > before.get(follower.id()).snapshotInstalls());
      long installed = System.nanoTime();
      long leaderApplied = cluster.awaitLeader(WITHIN).view().orElseThrow().appliedIndex();
      await(follower.id() + " at the leader's applied index " + leaderApplied).atMost(WITHIN)
          .until(() -> follower.view().map(v -> v.appliedIndex() >= leaderApplied).orElse(false));
      writer.awaitMore(20, WITHIN);
      System.out.printf("lag-follower %s: purged past it in %d ms, installed %d ms after SIGCONT, "
              + "%d acked, errors %s%n", follower.id(), (lagged - start) / 1_000_000,
          (installed - lagged) / 1_000_000, writer.acked(), writer.errors());
    }
    ChaosTestSupport.assertConvergedWithEverythingAcknowledged(cluster, client, acknowledged);
  }

  private static long installs(CoordinatorProcess node) {
    return node.view().map(NodeView::snapshotInstalls).orElse(0L);
  }
}
