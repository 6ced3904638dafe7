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
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The leader's wall clock jumps ten minutes forward, then back to real time, then ten minutes
 * backward, then a day forward (libfaketime; its monotonic clock runs on), under a client that
 * keeps writing. Raft and the leases run on monotonic time, so writes must go on being
 * acknowledged within a few seconds of each jump. The leader stamps its wall clock into every
 * command, held within a term to a minute (and 1% of the term's age) of its monotonic clock,
 * and apply keeps {@code max(previous, stamp)}: replicated time moves with a jump by at most
 * that much and never goes back, so a request id applied before a day's jump still dedupes a
 * retry after it (the unbounded stamp expired every dedupe entry at once: a retry ran twice).
 * Nothing acknowledged is lost and every node ends at the same digest.
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
  void aLeaderWhoseClockJumpsForwardKeepsAcknowledgingAndReplicatedTimeMovesAMinuteAtMost()
      throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    Fault.Injection jump = ClockFaults.jumpLeader(JUMP).inject(cluster);
    try {
      awaitStampedAhead(leader);
      writer.awaitMore(WRITES, WRITES_WITHIN);
      assertStampedAtMostAMinuteAhead();
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
  void aRequestAppliedBeforeADaysJumpStillDedupesItsRetry() throws Exception {
    String requestId = "clock-jump-retry-" + System.nanoTime();
    TaskSpec spec = TaskSpec.command("true").name("clock-jump-retry");
    Task first = client.create(spec, requestId);
    CoordinatorProcess leader = cluster.awaitLeader(WITHIN);
    Fault.Injection jump = ClockFaults.jumpLeader(Duration.ofHours(25)).inject(cluster);
    try {
      awaitStampedAhead(leader);
      writer.awaitMore(WRITES, WRITES_WITHIN);
      // The 24 h dedupe window is measured in replicated time: the retry finds the first apply.
      assertThat(client.create(spec, requestId).getId()).as("the task a retry of %s names", requestId)
          .isEqualTo(first.getId());
      assertStampedAtMostAMinuteAhead();
    } finally {
      jump.heal();
    }
    writer.awaitMore(WRITES, FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN));
    report("a day forward", leader);
  }

  @Test
  @Order(4)
  void nothingAcknowledgedIsLostReplicasConvergeAndTimeNeverWentBack() throws Exception {
    writer.close();
    assertThat(writer.timeWentBack()).as("acknowledged tasks created before the one acknowledged before them")
        .isZero();
    ChaosTestSupport.assertConvergedWithEverythingAcknowledged(cluster, client, acknowledged);
  }

  /**
   * The leader stamps its clock into each command: once a task carries a time well ahead of
   * real time, the jump has taken effect on the node that leads (a minute ahead at most).
   */
  private static void awaitStampedAhead(CoordinatorProcess leader) {
    await("a task stamped ahead of real time by " + leader.id())
        .atMost(FakeClock.TAKES_EFFECT_WITHIN.plus(WRITES_WITHIN))
        .until(() -> writer.last().getCreatedAtMs() >= System.currentTimeMillis() + 30_000);
  }

  /** A minute plus 1% of the term so far (the test's few minutes), and the writer's last write's age. */
  private static void assertStampedAtMostAMinuteAhead() {
    assertThat(writer.last().getCreatedAtMs()).as("replicated time of the last acknowledged write")
        .isLessThanOrEqualTo(System.currentTimeMillis() + 60_000 + 10_000);
  }

  private static void report(String jump, CoordinatorProcess leader) throws Exception {
    System.out.printf("clock jump %s on %s: %d acked, leader now %s, errors %s%n", jump, leader.id(),
        writer.acked(), cluster.awaitLeader(WITHIN).id(), writer.errors());
  }
}
