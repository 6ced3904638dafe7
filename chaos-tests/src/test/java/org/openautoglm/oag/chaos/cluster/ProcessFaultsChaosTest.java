package org.openautoglm.oag.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * Process faults on a real three-process cluster: kill -9 of the leader and of a follower,
 * SIGSTOP of the leader past the election timeout, restart with data kept and a wiped
 * follower rejoining. After each, writes go on, nothing acknowledged is lost and every node
 * converges to the same digest at the same applied index.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultsChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;

  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static final List<String> acknowledged = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = ChaosCluster.start(ClusterSpec.of(3, ChaosTestSupport.workDir(ProcessFaultsChaosTest.class),
        ChaosTestSupport.namespacesAvailable()), WITHIN);
    client = ChaosTestSupport.client(cluster.clientAddresses());
  }

  @AfterAll
  static void stop() throws Exception {
    ChaosTestSupport.closeAll(client, cluster);
  }

  @Test
  @Order(1)
  void aKilledLeaderIsReplacedAndRejoinsWithItsDataAfterARestart() throws Exception {
    write(5);
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    leader.kill();
    assertThat(leader.running()).isFalse();
    write(5);
    assertThat(cluster.awaitLeader(WITHIN)).isNotSameAs(leader);
    leader.start();
    assertConvergedWithEverythingAcknowledged();
  }

  @Test
  @Order(2)
  void aLeaderPausedPastTheElectionTimeoutIsReplacedAndStepsDownWhenContinued() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    leader.pause();
    try {
      // While it is frozen the other two elect a leader and accept writes.
      write(5);
      assertThat(cluster.awaitLeader(WITHIN)).isNotSameAs(leader);
    } finally {
      leader.resume();
    }
    assertConvergedWithEverythingAcknowledged();
    assertThat(leader.view()).hasValueSatisfying(v -> assertThat(v.leading()).isFalse());
  }

  @Test
  @Order(3)
  void writesGoOnWithAFollowerKilledAndItCatchesUpAfterARestart() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    CoordinatorProcess follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
    follower.kill();
    write(10);
    follower.start();
    assertConvergedWithEverythingAcknowledged();
  }

  @Test
  @Order(4)
  void aFollowerWhoseDataWasWipedRejoinsAndCatchesUp() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    CoordinatorProcess follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
    follower.kill();
    follower.wipe();
    assertThat(follower.dataDir()).isEmptyDirectory();
    write(5);
    follower.start();
    assertConvergedWithEverythingAcknowledged();
  }

  private static void write(int n) {
    ChaosTestSupport.write(client, "process-faults", n, acknowledged);
  }

  private static void assertConvergedWithEverythingAcknowledged() throws Exception {
    ChaosTestSupport.assertConvergedWithEverythingAcknowledged(cluster, client, acknowledged);
  }
}
