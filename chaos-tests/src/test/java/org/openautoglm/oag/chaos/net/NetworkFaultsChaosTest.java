package org.openautoglm.oag.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * Network faults between coordinators in their own namespaces: the firewall rules really
 * block (and heal really restores) traffic between two namespaces, an isolated leader is
 * replaced by the majority, and a bridge partition leaves the cluster writable. Skipped,
 * with the reason, where namespaces are not permitted.
 */
class NetworkFaultsChaosTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final int RAFT_PORT = 7080;

  private static ChaosCluster cluster;
  private static Firewall firewall;
  private static NetworkLab lab;
  private static CoordinatorClient client;
  private static final List<String> acknowledged = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(NetworkLab.unavailable().isEmpty(), () -> "network faults skipped: namespaces "
        + "unavailable (" + NetworkLab.unavailable().orElse("") + ")");
    cluster = ChaosCluster.start(ClusterSpec.of(3, ChaosTestSupport.workDir(NetworkFaultsChaosTest.class),
        true), WITHIN);
    lab = cluster.network().orElseThrow();
    firewall = lab.firewall();
    client = ChaosTestSupport.client(cluster.clientAddresses());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void heal() {
    if (firewall != null) {
      firewall.heal();
    }
  }

  @Test
  void aCutBlocksTrafficBetweenExactlyTheTwoNamespacesUntilHealed() {
    firewall.cut("c1", "c2");
    assertThat(lab.canConnect("c1", lab.address("c2"), RAFT_PORT, Duration.ofSeconds(2))).isFalse();
    assertThat(lab.canConnect("c2", lab.address("c1"), RAFT_PORT, Duration.ofSeconds(2))).isFalse();
    assertThat(lab.canConnect("c1", lab.address("c3"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
    assertThat(firewall.dropped()).containsExactlyInAnyOrder(
        new Firewall.Link("c1", "c2"), new Firewall.Link("c2", "c1"));

    firewall.heal();
    assertThat(firewall.dropped()).isEmpty();
    assertThat(lab.canConnect("c1", lab.address("c2"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void aOneWayDropBlocksOnlyPacketsInThatDirection() {
    firewall.drop("c2", "c3");
    // c3 drops what c2 sends, so no connection from c2 opens; c3's own packets still reach c2,
    // but c2's answers are dropped too, so TCP from c3 fails as well: the rule is one-way per
    // packet, not per connection.
    assertThat(lab.canConnect("c2", lab.address("c3"), RAFT_PORT, Duration.ofSeconds(2))).isFalse();
    assertThat(lab.canConnect("c3", lab.address("c1"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
    assertThat(firewall.dropped()).containsExactly(new Firewall.Link("c2", "c3"));
  }

  @Test
  void anIsolatedLeaderIsReplacedByTheMajorityAndRejoinsAfterHeal() throws Exception {
    write(5);
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    firewall.isolate(leader.id());
    write(5);
    assertThat(cluster.awaitLeader(WITHIN)).isNotSameAs(leader);

    firewall.heal();
    assertConvergedWithEverythingAcknowledged();
  }

  @Test
  void aBridgePartitionLeavesTheClusterWritable() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    List<String> others = cluster.nodes().stream().map(CoordinatorProcess::id)
        .filter(id -> !id.equals(leader.id())).toList();
    // The leader and one follower cannot talk; both still reach the third node.
    firewall.bridge(leader.id(), others.get(0));
    write(10);

    firewall.heal();
    assertConvergedWithEverythingAcknowledged();
  }

  private static void write(int n) {
    for (int i = 0; i < n; i++) {
      Task t = client.submit(TaskSpec.command("true").name("network-faults"));
      acknowledged.add(t.getId());
    }
  }

  private static void assertConvergedWithEverythingAcknowledged() throws Exception {
    cluster.awaitReady(WITHIN);
    ChaosCluster.Convergence c = cluster.awaitConverged(WITHIN);
    assertThat(c.sameDigest()).as("digests at applied index %d: %s", c.appliedIndex(), c.digests()).isTrue();
    for (String id : acknowledged) {
      assertThat(client.get(id).getId()).isEqualTo(id);
    }
  }
}
