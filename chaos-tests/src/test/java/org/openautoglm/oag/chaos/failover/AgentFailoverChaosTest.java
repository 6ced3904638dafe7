package org.openautoglm.oag.chaos.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.chaos.AgentCluster;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.fault.AgentFaults;
import org.openautoglm.oag.chaos.fault.ProcessFaults;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;

/**
 * The failover and fencing promises on a real cluster: three coordinator processes and three
 * agent processes from the distribution, running two exclusive and two available tasks that
 * tick to the harness's sink, under the shipped failover settings (lease 5 s, TTL 6 s,
 * available TTL 2 s). Each test injects one fault on the agent that runs the tasks and checks
 * that every one of its tasks runs elsewhere, that no two generations of an exclusive task
 * were ever alive at once (from the ticks), and that once the agent is back nothing runs
 * twice. Where namespaces exist, every node has its own and an agent can be cut off, from
 * every coordinator (a failover) or from all but one follower (no failover: it relays).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentFailoverChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;

  private static AgentCluster run;
  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static TickSink sink;
  private static ReporterWorkload workload;
  private static FleetWatch watch;
  private static FailoverRound round;
  private static FailoverSettings settings;

  @BeforeAll
  static void start() throws Exception {
    run = AgentCluster.start(AgentFailoverChaosTest.class, 3, List.of("--cpu", "2", "--memory", "2Gi"));
    cluster = run.cluster;
    sink = run.sink;
    client = run.client;
    settings = client.failoverSettings();
    workload = ReporterWorkload.submit(client, sink, "failover", 2, 2);
    watch = new FleetWatch(cluster, client, sink, workload);
    round = new FailoverRound(cluster, watch, WITHIN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  /** Whatever an earlier test left broken is healed, and every task runs in one generation. */
  @BeforeEach
  void steady() throws Exception {
    cluster.restore();
    watch.awaitSteady(WITHIN);
  }

  @AfterEach
  void noTwoGenerationsOfAnExclusiveTaskWereEverAliveAtOnce() {
    assertThat(OverlapCheck.overlaps(sink.lives(), workload.exclusiveIds())).isEmpty();
  }

  @Test
  @Order(1)
  void aKilledAgentsTasksRunElsewhereAndItsKeeperKilledTheExclusiveOnesFirst() throws Exception {
    String victim = victim();
    RoundResult r = round.run(victim, AgentFaults.kill(victim), null);
    report(r);

    assertEveryTaskOfBothModesMoved(r);
    assertSoftly(softly -> {
      softly.assertThat(r.notKilledByKeeper()).as("exclusive allocations the dead agent's keeper did not kill")
          .isEmpty();
      exclusiveLostNoEarlierThanTheTtl(softly, r);
      // The defaults' promise on this machine (issue 7): available work of a dead agent runs
      // elsewhere within 3 s, exclusive work within TTL + 1.5 s.
      softly.assertThat(r.allRunningMs(false).orElseThrow())
          .as("available tasks RUNNING elsewhere (ms after the kill)").isLessThanOrEqualTo(3_000);
      softly.assertThat(r.allRunningMs(true).orElseThrow())
          .as("exclusive tasks RUNNING elsewhere (ms after the kill)").isLessThanOrEqualTo(settings.getTtlMs() + 1_500);
      nothingPlacedBackOnTheSilentAgent(softly, r);
      declaredDownOnceOnly(softly, r);
    });
  }

  @Test
  @Order(2)
  void anAgentPausedPastTheTtlHasItsExclusiveWorkKilledByTheKeeperAndNothingRunsTwiceAfterItResumes()
      throws Exception {
    String victim = victim();
    // Held until every task of the agent runs elsewhere, which for exclusive ones takes the TTL.
    RoundResult r = round.run(victim, AgentFaults.pause(victim), null);
    report(r);

    assertEveryTaskOfBothModesMoved(r);
    assertSoftly(softly -> {
      softly.assertThat(r.notKilledByKeeper()).as("exclusive allocations the keeper did not kill").isEmpty();
      exclusiveLostNoEarlierThanTheTtl(softly, r);
      // The stale instances ticked at most until they were seen dead after the agent resumed;
      // the round then ended with every task ticking in exactly one generation.
      for (RoundResult.Recovery rec : r.recoveries()) {
        softly.assertThat(rec.oldLastTickMs()).as("last tick of %s generation %d", rec.taskId(), rec.oldGeneration())
            .isLessThanOrEqualTo(r.staleStoppedMs());
      }
      nothingPlacedBackOnTheSilentAgent(softly, r);
      declaredDownOnceOnly(softly, r);
    });
  }

  @Test
  @Order(3)
  void anAgentCutOffFromEveryCoordinatorIsReplacedAndStopsItsStaleWorkWhenHealed() throws Exception {
    assumeTrue(cluster.network().isPresent(), () -> "partition skipped: namespaces unavailable ("
        + NetworkLab.unavailable().orElse("") + ")");
    String victim = victim();
    RoundResult r = round.run(victim, AgentFaults.isolate(victim), null);
    report(r);

    assertEveryTaskOfBothModesMoved(r);
    Set<String> available = r.recoveries().stream().filter(rec -> !rec.exclusive())
        .map(RoundResult.Recovery::taskId).collect(Collectors.toSet());
    assertSoftly(softly -> {
      exclusiveLostNoEarlierThanTheTtl(softly, r);
      nothingPlacedBackOnTheSilentAgent(softly, r);
      declaredDownOnceOnly(softly, r);
      // The overlap detector's proof that it fires: available work is started elsewhere while
      // the cut-off agent's instance still ticks (it may run twice, by its contract), and the
      // same check that finds no overlap for exclusive tasks finds these.
      softly.assertThat(OverlapCheck.overlaps(sink.lives(), available))
          .as("overlapping generations of the available tasks %s while %s was cut off", available, victim)
          .isNotEmpty();
    });
  }

  @Test
  @Order(4)
  void aLeaderKilledDuringTheReassignmentLeavesItToTheNewLeaderAfterItsOwnTtl() throws Exception {
    String victim = victim();
    RoundResult r = round.run(victim, AgentFaults.kill(victim), ProcessFaults.killLeader());
    report(r);

    assertEveryTaskOfBothModesMoved(r);
    cluster.awaitReady(WITHIN);
    Convergence c = cluster.awaitConverged(WITHIN);
    List<String> stored = client.listAll(TaskQuery.all()).map(t -> t.getId()).toList();
    assertSoftly(softly -> {
      softly.assertThat(r.notKilledByKeeper()).as("exclusive allocations the dead agent's keeper did not kill")
          .isEmpty();
      // A new leader gives every node a full TTL from its election, which came after the kill.
      softly.assertThat(r.allLostMs(true).orElseThrow()).as("exclusive tasks declared LOST (ms after the agent's kill)")
          .isGreaterThanOrEqualTo(r.secondFaultMs() + settings.getTtlMs());
      // Nothing lost or doubled: exactly the submitted tasks, each RUNNING in one generation
      // (the round ended steady), and the replicas agree.
      softly.assertThat(stored).as("stored tasks").containsExactlyInAnyOrderElementsOf(workload.allIds());
      softly.assertThat(c.sameDigest()).as("digests at applied index %d: %s", c.appliedIndex(), c.digests()).isTrue();
      nothingPlacedBackOnTheSilentAgent(softly, r);
      declaredDownOnceOnly(softly, r);
    });
  }

  @Test
  @Order(5)
  void anAgentCutOffFromTheLeaderAndItsCoordinatorKeepsItsWorkThroughAFollower() throws Exception {
    assumeTrue(cluster.network().isPresent(), () -> "partition skipped: namespaces unavailable ("
        + NetworkLab.unavailable().orElse("") + ")");
    String victim = victim();
    // Partition-aware detection: an agent that reaches any coordinator is not declared dead
    // (followers relay its heartbeats and the leader's acks). Its session breaks; held past the TTL.
    Duration holdFor = Duration.ofMillis(settings.getTtlMs() + 2_000);
    HoldResult h = round.hold(victim, AgentFaults.cutFromSessionAndLeader(victim), holdFor);
    System.out.println("chaos: " + h);

    assertSoftly(softly -> {
      softly.assertThat(h.victimDowns()).as("node.down events for %s", victim).isZero();
      // Its lease is renewed through the follower, so its exclusive work goes on...
      softly.assertThat(h.changes()).as("exclusive tasks that moved or stopped ticking while %s was cut off from "
          + "%s (the leader and its session's coordinator) but reached the other", victim, h.target())
          .doesNotContainKeys(workload.exclusiveIds().toArray(String[]::new));
      // ...and, not being silent, neither is its available work declared LOST.
      softly.assertThat(h.changes()).as("available tasks that moved or stopped ticking while %s was cut off from "
          + "%s but reached the other (declared LOST after the available TTL: the agent found the follower too "
          + "late)", victim, h.target()).isEmpty();
      softly.assertThat(h.lostAllocations()).as("allocation.lost events").isZero();
    });
  }

  private static String victim() throws Exception {
    return watch.awaitVictim(WITHIN);
  }

  private static void assertEveryTaskOfBothModesMoved(RoundResult r) {
    assertThat(r.count(true)).as("exclusive tasks on %s", r.victim()).isPositive();
    assertThat(r.count(false)).as("available tasks on %s", r.victim()).isPositive();
    assertThat(r.recoveries()).allSatisfy(rec -> {
      assertThat(rec.newNode()).isNotEqualTo(r.victim());
      assertThat(rec.newGeneration()).isGreaterThan(rec.oldGeneration());
    });
  }

  /**
   * Break-before-make on the coordinators' side: an exclusive allocation is declared LOST only
   * once its node was silent for the TTL, so no earlier than the TTL less one heartbeat
   * interval after the fault (the last heartbeat came at most that long before it).
   */
  private static void exclusiveLostNoEarlierThanTheTtl(SoftAssertions softly, RoundResult r) {
    r.recoveries().stream().filter(RoundResult.Recovery::exclusive).forEach(rec ->
        softly.assertThat(rec.lostMs()).as("%s declared LOST (ms after the fault)", rec.taskId())
            .isGreaterThanOrEqualTo(settings.getTtlMs() - 1000));
  }

  /**
   * Work taken from a silent agent goes elsewhere: "its available tasks' allocations LOST and
   * placed elsewhere while the node stays UP". An agent that is frozen or cut off keeps its
   * session open on the leader's side, so only the event log shows where the lost work went.
   */
  private static void nothingPlacedBackOnTheSilentAgent(SoftAssertions softly, RoundResult r) {
    softly.assertThat(r.placedOnVictim()).as("allocations of %s's lost tasks assigned to %s again while it was "
        + "silent (see events.txt: allocation.assigned node=%s, then allocation.lost, every ~100 ms)",
        r.victim(), r.victim(), r.victim()).isEmpty();
  }

  /**
   * No false DOWN: the agent is declared DOWN once, for the fault; once it has registered again
   * it is alive and must not be declared DOWN again (the event log's {@code node.down}).
   */
  private static void declaredDownOnceOnly(SoftAssertions softly, RoundResult r) {
    softly.assertThat(r.victimDowns()).as("node.down events for %s from the fault until the round ended steady "
        + "(see events.txt: a node.down right after its node.restarted / node.updated)", r.victim()).isEqualTo(1);
  }

  private static void report(RoundResult r) {
    System.out.println("chaos: " + r.summary());
    r.recoveries().forEach(rec -> System.out.println("chaos:   " + rec));
  }

}
