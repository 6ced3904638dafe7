package org.openautoglm.oag.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.fault.ClockFaults;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * The leader's wall clock jumps ten minutes forward, then back to real time, then ten minutes
 * backward (libfaketime; its monotonic clock runs on), under a client that keeps writing. Raft
 * and the leases run on monotonic time, so writes must go on being acknowledged within a few
 * seconds of each jump; the leader stamps its wall clock into every command and apply keeps
 * {@code max(previous, stamp)}, so the time replicated with each task must follow the forward
 * jump and never go back. Nothing acknowledged is lost and every node ends at the same digest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClockJumpChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;
  private static final Duration JUMP = Duration.ofMinutes(10);
  /** How soon after a jump (once it took effect) the writer must have 20 more writes acknowledged. */
  private static final Duration WRITES_WITHIN = Duration.ofSeconds(10);
  private static final int WRITES = 20;

  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static SteadyWriter writer;
  private static final Collection<String> acknowledged = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(FakeClock.unavailable().isEmpty(),
        () -> "clock jumps need libfaketime: " + FakeClock.unavailable().orElse(""));
    ClusterSpec spec = ClusterSpec.of(3, ChaosTestSupport.workDir(ClockJumpChaosTest.class),
        ChaosTestSupport.namespacesAvailable()).withFakeClocks();
    cluster = ChaosCluster.start(spec, WITHIN);
    client = ChaosTestSupport.client(cluster.clientAddresses());
    writer = SteadyWriter.start(client, acknowledged, 16, "clock-jump");
    writer.awaitMore(WRITES, WITHIN);
  }

  @AfterAll
  static void stop() throws Exception {
    ChaosTestSupport.closeAll(writer, client, cluster);
  }

  @Test
  @Order(1)
  void aLeaderWhoseClockJumpsForwardKeepsAcknowledgingAndReplicatedTimeFollows() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    Fault.Injection jump = ClockFaults.jumpLeader(JUMP).inject(cluster);
    long jumpedAt = System.currentTimeMillis();
    try {
      // The leader stamps its clock into each command: once a task carries the jumped time,
      // the jump has taken effect on the node that leads.
      await("a task stamped ten minutes ahead by " + leader.id())
          .atMost(FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN))
          .until(() -> writer.last().getCreatedAtMs() >= jumpedAt + JUMP.toMillis() - 5_000);
      writer.awaitMore(WRITES, WRITES_WITHIN);
    } finally {
      jump.heal();
    }
    long stamped = writer.last().getCreatedAtMs();
    writer.awaitMore(WRITES, FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN));
    // Back on real time the leader stamps ten minutes less: replicated time stays put.
    assertThat(writer.last().getCreatedAtMs()).isGreaterThanOrEqualTo(stamped);
    report("forward", leader);
  }

  @Test
  @Order(2)
  void aLeaderWhoseClockJumpsBackwardKeepsAcknowledgingAndReplicatedTimeNeverGoesBack() throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    long before = writer.last().getCreatedAtMs();
    Fault.Injection jump = ClockFaults.jumpLeader(JUMP.negated()).inject(cluster);
    try {
      writer.awaitMore(WRITES, FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN));
      writer.awaitMore(WRITES, WRITES_WITHIN);
    } finally {
      jump.heal();
    }
    writer.awaitMore(WRITES, FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN));
    assertThat(writer.last().getCreatedAtMs()).isGreaterThanOrEqualTo(before);
    report("backward", leader);
  }

  @Test
  @Order(3)
  void nothingAcknowledgedIsLostReplicasConvergeAndTimeNeverWentBack() throws Exception {
    writer.close();
    assertThat(writer.timeWentBack()).as("acknowledged tasks created before the one acknowledged before them")
        .isZero();
    ChaosTestSupport.assertConvergedWithEverythingAcknowledged(cluster, client, acknowledged);
  }

  private static void report(String jump, CoordinatorProcess leader) throws Exception {
    System.out.printf("clock jump %s on %s: %d acked, leader now %s, errors %s%n", jump, leader.id(),
        writer.acked(), cluster.awaitLeader(WITHIN).id(), writer.errors());
  }
}
