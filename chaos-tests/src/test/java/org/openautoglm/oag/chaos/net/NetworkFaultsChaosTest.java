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
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * Network faults between coordinators in their own namespaces: the firewall rules really
 * block (and heal really restores) traffic between two namespaces, an isolated leader is
 * replaced by the majority, and a bridge partition leaves the cluster writable. Skipped,
 * with the reason, where namespaces are not permitted.
 */
class NetworkFaultsChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;
  private static final int RAFT_PORT = ChaosCluster.RAFT_PORT;

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
  static void stop() throws Exception {
    ChaosTestSupport.closeAll(client, cluster);
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
    for (String node : lab.nodes()) {
      assertThat(firewall.rules(node)).as("rules left in %s", node).isEmpty();
    }
    assertThat(lab.canConnect("c1", lab.address("c2"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
    assertThat(lab.canConnect("c2", lab.address("c1"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void aOneWayDropIsOneRuleOnTheReceivingSide() {
    firewall.drop("c2", "c3");
    // c3 drops what comes from c2 and nothing else; c2 sends freely. (A TCP connection needs
    // both directions, so one from c3 to c2 fails too: its answers from c2 are dropped.)
    assertThat(firewall.rules("c3")).singleElement().asString().contains(lab.address("c2"));
    assertThat(firewall.rules("c2")).isEmpty();
    assertThat(firewall.rules("c1")).isEmpty();
    assertThat(lab.canConnect("c2", lab.address("c3"), RAFT_PORT, Duration.ofSeconds(2))).isFalse();
    assertThat(lab.canConnect("c3", lab.address("c1"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
    assertThat(lab.canConnect("c2", lab.address("c1"), RAFT_PORT, Duration.ofSeconds(2))).isTrue();
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
    ChaosTestSupport.write(client, "network-faults", n, acknowledged);
  }

  private static void assertConvergedWithEverythingAcknowledged() throws Exception {
    ChaosTestSupport.assertConvergedWithEverythingAcknowledged(cluster, client, acknowledged);
  }
}
