package org.openautoglm.oag.chaos.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.chaos.AgentCluster;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.failover.FleetWatch;
import org.openautoglm.oag.chaos.failover.OverlapCheck;
import org.openautoglm.oag.chaos.failover.ReporterWorkload;
import org.openautoglm.oag.chaos.fault.ProcessFaults;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;

/**
 * The drain promises on a real cluster: three coordinator processes and three agent processes
 * from the distribution (each in its own network namespace where they exist), ten tasks that
 * tick to the harness's sink every 50 ms gathered on one agent: five exclusive, which a drain
 * moves break-before-make, and five available with a readiness check (their run creates a
 * {@code ready} file once ticking), which it moves make-before-break. Each test drains the agent
 * that runs them and checks that the drain ended only once every old run was gone, that every
 * task then runs elsewhere in a new generation, that no two generations of an exclusive task
 * were alive at once, and that the readiness-gated tasks never stopped ticking across the move.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int EXCLUSIVE = 5;
  private static final int AVAILABLE = 5;
  /** A gap in a readiness-gated task's ticking this long is jitter, not a missed tick (see assertNoTickMissed). */
  private static final Duration TOLERATED_GAP = Duration.ofMillis(250);

  private static AgentCluster run;
  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static TickSink sink;
  private static ReporterWorkload workload;
  private static FleetWatch watch;
  private static DrainRound round;

  @BeforeAll
  static void start() throws Exception {
    // Room for every task on one agent while a batch of them is being gathered there.
    run = AgentCluster.start(DrainChaosTest.class, 3, List.of("--cpu", "3", "--memory", "2Gi"));
    cluster = run.cluster;
    sink = run.sink;
    client = run.client;
    workload = ReporterWorkload.readinessGated(client, sink, "drain", EXCLUSIVE, AVAILABLE);
    watch = new FleetWatch(cluster, client, sink, workload);
    round = new DrainRound(cluster, watch, WITHIN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  /**
   * Whatever an earlier test left broken is healed and every agent is eligible again (a drained
   * one stays cordoned); then every agent is UP and, once there is a batch, every task ticks in
   * one generation.
   */
  @BeforeEach
  void steady() throws Exception {
    cluster.restore();
    cluster.awaitReady(WITHIN);
    round.releaseAgents();
    watch.awaitAgentsUp(WITHIN);
    if (!workload.ids().isEmpty()) {
      watch.awaitSteady(WITHIN);
    }
  }

  @AfterEach
  void noTwoGenerationsOfAnExclusiveTaskWereEverAliveAtOnce() {
    assertThat(OverlapCheck.overlaps(sink.lives(), workload.exclusiveIds())).isEmpty();
  }

  @Test
  @Order(1)
  void aDrainMovesTenTasksOffWithoutOverlapOrAMissedTickAndEndsOnlyOnceEveryOldRunIsGone() throws Exception {
    String victim = watch.awaitGathered(WITHIN);
    DrainResult r = round.run(victim, DEADLINE, null);
    report(r);

    assertSoftly(softly -> {
      assertDrainedCleanly(softly, r);
      assertNoTickMissed(softly, r);
    });
  }

  @Test
  @Order(2)
  void aLeaderKilledMidDrainLeavesTheDrainToTheNextLeaderWhichCompletesItWithNothingLostOrDoubled()
      throws Exception {
    String victim = watch.awaitGathered(WITHIN);
    DrainResult r = round.run(victim, DEADLINE, ProcessFaults.killLeader());
    report(r);

    cluster.awaitReady(WITHIN);
    Convergence c = cluster.awaitConverged(WITHIN);
    List<String> stored = client.listAll(TaskQuery.all()).map(t -> t.getId()).toList();
    assertSoftly(softly -> {
      softly.assertThat(r.migratedBeforeFault()).as("migrations begun when the leader was killed").isPositive();
      softly.assertThat(r.drainedEventAfterFaultMs())
          .as("node.drained after the leader's kill (ms; not positive: the drain had ended before it)").isPositive();
      assertDrainedCleanly(softly, r);
      assertNoTickMissed(softly, r);
      // Nothing lost or doubled: exactly the submitted tasks, each ticking in one generation
      // (the round ended steady), and the replicas agree.
      softly.assertThat(stored).as("stored tasks").containsExactlyInAnyOrderElementsOf(workload.allIds());
      softly.assertThat(c.sameDigest()).as("digests at applied index %d: %s", c.appliedIndex(), c.digests()).isTrue();
    });
  }

  /**
   * The drain's promises: it ended complete with nothing left on the node, and only once every
   * old run was gone; every task runs elsewhere in a new generation, exclusive ones having
   * stopped before their next run started, readiness-gated ones having started their next run
   * before the old one stopped.
   */
  private static void assertDrainedCleanly(SoftAssertions softly, DrainResult r) {
    softly.assertThat(r.moves()).as("tasks moved off %s", r.victim()).hasSize(EXCLUSIVE + AVAILABLE);
    softly.assertThat(r.report().getOutcome()).as("the drain's outcome").isEqualTo("complete");
    softly.assertThat(r.report().getStoppedAtDeadlineList()).as("tasks stopped at the deadline").isEmpty();
    softly.assertThat(r.victimTasksAfter()).as("live allocations on %s after the drain (ListNodes)", r.victim())
        .isZero();
    softly.assertThat(r.remainingAfter()).as("drain-status remaining on %s after the drain", r.victim()).isZero();
    softly.assertThat(r.oldAliveAtComplete()).as("old allocations whose process group was alive when the drain "
        + "was read as complete (%d ms)", r.completeMs()).isEmpty();
    softly.assertThat(r.oldTickedAfterComplete()).as("old generations that ticked at or after the drain was read "
        + "as complete (%d ms)", r.completeMs()).isEmpty();
    softly.assertThat(r.gapsOverflowed()).as("ticks dropped by the gap recorder").isFalse();
    softly.assertThat(r.notHandedOver()).as("%s", notHandedOverWhy(r)).isEmpty();
    for (DrainResult.Move m : r.moves()) {
      softly.assertThat(m.newNode()).as("%s's node after the drain", m.taskId()).isNotEqualTo(r.victim());
      softly.assertThat(m.newGeneration()).as("%s's generation after the drain", m.taskId())
          .isGreaterThan(m.oldGeneration());
      if (m.exclusive()) {
        softly.assertThat(m.breakMs()).as("%s (exclusive): ms from the old run's last tick to the new one's first",
            m.taskId()).isPositive();
      } else {
        softly.assertThat(m.breakMs()).as("%s (readiness-gated): ms from the old run's last tick to the new one's "
            + "first (negative: make-before-break)", m.taskId()).isNegative();
      }
    }
  }

  /**
   * Make-before-break loses no tick: across the drain (from the call to its end), each
   * readiness-gated task's largest gap between consecutive ticks of any of its runs is no
   * longer than this machine's jitter at the time, so no tick slot was left empty by the move.
   * The jitter allowed is the larger of {@link #TOLERATED_GAP} and the longest any single run of
   * these tasks went without ticking in the same window (a run the move cannot pause). Why not
   * 100 ms (one slot): a reporter ticks every 50 ms plus the fork of its {@code sleep}, and on
   * this 2-core machine, shared by six JVMs, twenty bash loops and other work, one undisturbed
   * run goes 100-300 ms without a tick now and then (the "same-generation gap" printed each
   * run). A handover that stopped the old run before the new one ticked would leave a hole as
   * long as the new run's start (a placement, a launch and a heartbeat: 400-1000 ms here).
   */
  private static void assertNoTickMissed(SoftAssertions softly, DrainResult r) {
    softly.assertThat(r.gaps()).as("readiness-gated tasks measured").hasSize(AVAILABLE);
    long allowed = Math.max(TOLERATED_GAP.toNanos(), r.jitterNanos());
    for (TickGaps.Gap g : r.gaps()) {
      softly.assertThat(g.nanos()).as("largest tick gap of %s: more than %d ms (the larger of %d ms and the longest "
          + "a single run went without ticking meanwhile, %d ms) is a hole the move left, not jitter", g,
          allowed / 1_000_000, TOLERATED_GAP.toMillis(), r.jitterNanos() / 1_000_000).isLessThanOrEqualTo(allowed);
    }
  }

  /**
   * Why readiness-gated tasks were not handed over, with the evidence: what their new
   * instances' agents logged, and what the drain was held up by longest.
   */
  private static String notHandedOverWhy(DrainResult r) {
    List<DrainResult.Move> stuck = r.notHandedOver();
    if (stuck.isEmpty()) {
      return "readiness-gated tasks never handed over";
    }
    List<DrainResult.Move> loggedReady = stuck.stream().filter(m -> !m.readyLogged().isEmpty()).toList();
    String why = loggedReady.isEmpty() ? "their agents never logged them ready either"
        : loggedReady.size() + " of " + stuck.size() + " new instances were logged ready by their agents (e.g. "
            + loggedReady.get(0).readyLogged() + "), yet the leader never replicated that readiness";
    return "readiness-gated tasks never handed over (no task.handover event): " + why
        + ", so the old instances were not stopped and the drain ended " + r.report().getOutcome()
        + " after " + r.completeMs() + " ms. What the drain waited for longest: " + r.longestWhileDraining()
        + ". Events of " + stuck.get(0).taskId() + ": " + r.events().get(stuck.get(0).taskId());
  }

  private static void report(DrainResult r) {
    System.out.println("chaos: " + r.summary());
    r.moves().forEach(m -> System.out.println("chaos:   " + m));
    r.gaps().forEach(g -> System.out.println("chaos:   " + g));
    r.events().forEach((k, v) -> System.out.println("chaos:   events " + k + ": " + v));
    System.out.println("chaos:   longest-held drain status: " + r.longestWhileDraining());
  }

}
