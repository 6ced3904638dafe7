package org.openautoglm.oag.chaos.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.chaos.AgentCluster;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.failover.FleetWatch;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Conditions;
import org.openautoglm.oag.chaos.failover.EventLog;
import org.openautoglm.oag.chaos.failover.OverlapCheck;
import org.openautoglm.oag.chaos.failover.Placement;
import org.openautoglm.oag.chaos.sink.Life;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;

/**
 * The rebalancer's promise on a real cluster: three coordinator processes and two agent
 * processes (2 cores, 2 GiB each) from the distribution, under the shipped rebalance settings
 * (threshold 20 points, 3 moves per 5 s interval, cool-down 120 s). Each test places eight
 * movable tasks that tick to the harness's sink (a quarter core each) all on a1 while a2 is
 * cordoned, so a1's share in use is 100% and a2's 0%; once a2 is uncordoned the work must
 * spread within a minute until the two differ by no more than the threshold, every task
 * RUNNING and none being migrated, and then stay put: over the next three intervals nothing
 * is moved again and every task keeps its generation. The first test's tasks move
 * break-before-make (exclusive, and available without a readiness check), and no two
 * generations of an exclusive task may have been alive at once (from the ticks); the second's
 * move make-before-break (available, ready a moment after they start). Where namespaces exist,
 * every node has its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebalanceChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;
  /** The shipped settings (the client cannot read them on this branch). */
  private static final int THRESHOLD_PERCENT = 20;
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  /** The promise: balanced within this long of a node becoming available. */
  private static final long BALANCED_WITHIN_MS = 60_000;
  /** How long it must then stay put: three rebalance intervals. */
  private static final Duration STILL_FOR = INTERVAL.multipliedBy(3);
  private static final String BUSY = "a1";
  private static final String FRESH = "a2";
  private static final int TASKS = 8;
  private static final int CPU_MILLIS = 250;
  private static final long MEMORY_MIB = 64;
  /** How long a make-before-break task takes to be ready: a service's start-up, in small. */
  private static final Duration WARM_UP = Duration.ofSeconds(1);

  private static AgentCluster run;
  private static ChaosCluster cluster;
  private static CoordinatorClient client;
  private static TickSink sink;
  private MovableWorkload workload;
  private RebalanceWatch watch;

  @BeforeAll
  static void start() throws Exception {
    run = AgentCluster.start(RebalanceChaosTest.class, 2, List.of("--cpu", "2", "--memory", "2Gi"));
    cluster = run.cluster;
    sink = run.sink;
    client = run.client;
    Conditions.await(WITHIN, "both agents UP, connected and heard from", RebalanceChaosTest::bothAgentsAlive,
        cluster::describe);
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  /** The next test starts from an empty cluster: this one's tasks stopped and silent. */
  @AfterEach
  void stopTheWorkload() throws Exception {
    if (workload != null) {
      workload.stop(client);
      watch.awaitStopped(WITHIN);
    }
  }

  @Test
  @Order(1)
  void anAgentMadeAvailableTakesItsShareOfTheWorkWithinAMinuteAndThenNothingMoves() throws Exception {
    client.cordon(FRESH);
    workload = MovableWorkload.breakBeforeMake(client, sink, "rebalance-bbm", TASKS, CPU_MILLIS, MEMORY_MIB);
    watch = new RebalanceWatch(cluster, client, sink, workload);
    Outcome o = uncordonAndWatch("break-before-make");

    assertSoftly(softly -> {
      o.assertSpreadInTimeAndStill(softly);
      softly.assertThat(OverlapCheck.overlaps(sink.lives(), workload.exclusiveIds()))
          .as("two generations of an exclusive task alive at once").isEmpty();
    });
  }

  @Test
  @Order(2)
  void availableTasksWithAReadinessCheckMoveMakeBeforeBreakAndTheWorkStillSpreadsWithinAMinute() throws Exception {
    client.cordon(FRESH);
    workload = MovableWorkload.makeBeforeBreak(client, sink, "rebalance-mbb", TASKS, CPU_MILLIS, MEMORY_MIB,
        WARM_UP);
    watch = new RebalanceWatch(cluster, client, sink, workload);
    Outcome o = uncordonAndWatch("make-before-break");

    assertSoftly(softly -> {
      o.assertSpreadInTimeAndStill(softly);
      // Make-before-break: the new instance ticked before the old one's last tick.
      for (Move m : o.moves()) {
        List<Life> lives = sink.lives().stream().filter(l -> l.taskId().equals(m.taskId())).toList();
        softly.assertThat(lives).as("generations of %s that ticked", m.taskId()).hasSize(2);
        if (lives.size() == 2) {
          softly.assertThat(lives.get(1).firstTick()).as("%s: first tick of the new instance (ns) before the "
              + "old one's last", m.taskId()).isLessThanOrEqualTo(lives.get(0).lastTick());
        }
      }
    });
  }

  /**
   * With every task settled on {@link #BUSY} and {@link #FRESH} cordoned: uncordons it, waits
   * until the work is balanced, then watches that it stays put; prints what it measured.
   */
  private Outcome uncordonAndWatch(String kind) throws Exception {
    Map<String, Placement> packed = watch.awaitAllOn(BUSY, WITHIN);
    Spread before = watch.spread(packed, watch.nodes());
    long eventsFrom = EventLog.appliedIndex(client);
    long uncordonedAt = System.nanoTime();
    client.uncordon(FRESH);

    RebalanceWatch.Balanced balanced = awaitBalanced(eventsFrom, uncordonedAt);
    long balanceMs = (System.nanoTime() - uncordonedAt) / 1_000_000;
    long balancedFrom = EventLog.appliedIndex(client);
    List<Move> moves = Move.of(EventLog.since(client, eventsFrom));

    Map<String, String> changes = watch.watchStill(balanced.placements(), STILL_FOR);
    List<Move> later = Move.of(EventLog.since(client, balancedFrom));
    Optional<Map<String, Placement>> after = watch.settled();
    System.out.printf("chaos: rebalance %s: %s uncordoned, balanced in %d ms (before: %s) with %d moves %s; "
        + "final %s; then %d ms still: %d rebalance moves, %d tasks changed%n", kind, FRESH, balanceMs, before,
        moves.size(), moves, balanced.spread(), STILL_FOR.toMillis(), later.size(), changes.size());
    return new Outcome(balanceMs, moves, balanced.spread(), balancedFrom, later, changes,
        after.isPresent() ? "" : watch.describe());
  }

  /** Waits for the balanced state; on timeout fails saying the rebalancer never balanced, with its moves. */
  private RebalanceWatch.Balanced awaitBalanced(long eventsFrom, long since) throws Exception {
    // Past the promise, so that a slow balance is measured (and fails its assertion) rather than cut off.
    Duration within = Duration.ofMillis(BALANCED_WITHIN_MS).plus(INTERVAL.multipliedBy(6));
    try {
      return watch.awaitBalanced(THRESHOLD_PERCENT, within);
    } catch (TimeoutException e) {
      List<Move> moves = Move.of(EventLog.since(client, eventsFrom));
      List<String> waiting = watch.awaitingHandover();
      return fail("the rebalancer never spread the work within %d points in %d ms after %s was uncordoned; its "
          + "moves: %s%s%n%s", THRESHOLD_PERCENT, (System.nanoTime() - since) / 1_000_000, FRESH, moves,
          waiting.isEmpty() ? "" : "\nmake-before-break migrations still waiting for their handover (a rebalance "
              + "migration under way holds every next move back):\n  " + String.join("\n  ", waiting),
          e.getMessage());
    }
  }

  /**
   * What one uncordon measured.
   *
   * @param balanceMs from the uncordon until balanced and settled
   * @param moves the rebalancer's migrations until then
   * @param balancedFrom the log index once balanced
   * @param later the rebalancer's migrations begun while it should have stayed put
   * @param changes tasks that moved, began migrating or stopped ticking meanwhile
   * @param unsettled empty when every task was settled at the end; else the cluster's state
   */
  private record Outcome(long balanceMs, List<Move> moves, Spread spread, long balancedFrom, List<Move> later,
      Map<String, String> changes, String unsettled) {

    void assertSpreadInTimeAndStill(SoftAssertions softly) {
      softly.assertThat(balanceMs).as("ms from uncordoning %s until the tasks were spread within %d points, all "
          + "RUNNING and none migrating (moves: %s)", FRESH, THRESHOLD_PERCENT, moves)
          .isLessThanOrEqualTo(BALANCED_WITHIN_MS);
      // Each move brings a1 and a2 strictly closer: all go from the busy node to the fresh one, once each.
      softly.assertThat(moves).as("rebalance moves until balanced (see events.txt: task.migrating ... "
          + "(rebalance))").allSatisfy(m -> {
            assertThat(m.from()).as("%s moved from", m.taskId()).isEqualTo(BUSY);
            assertThat(m.to()).as("%s moved to", m.taskId()).isEqualTo(FRESH);
          });
      softly.assertThat(moves.stream().map(Move::taskId).distinct().count()).as("tasks moved more than once: %s",
          moves).isEqualTo(moves.size());
      softly.assertThat(spread.counts().get(FRESH)).as("tasks on %s once balanced", FRESH).isEqualTo(moves.size());
      softly.assertThat(later).as("rebalance moves in the %d ms after the spread was within the threshold "
          + "(ping-pong: see events.txt from index %d)", STILL_FOR.toMillis(), balancedFrom).isEmpty();
      softly.assertThat(changes).as("tasks that moved, began migrating or stopped ticking in the %d ms after "
          + "balancing", STILL_FOR.toMillis()).isEmpty();
      softly.assertThat(unsettled).as("every task still RUNNING, ticking, none migrating, at the end").isEmpty();
    }
  }

  private static Optional<Boolean> bothAgentsAlive() {
    try {
      List<String> alive = client.listNodes().stream().filter(FleetWatch::alive).map(Node::getId).toList();
      return alive.containsAll(List.of(BUSY, FRESH)) ? Optional.of(true) : Optional.empty();
    } catch (OagException e) {
      return Optional.empty();
    }
  }

}
