package org.openautoglm.oag.bench.fleet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.client.CoordinatorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a simulated fleet ends once the measured phase is over. Either all at once ({@code
 * --keep}): every stream is half-closed and the nodes are left behind, to be declared DOWN a
 * TTL later, unless they are more than the storm guard allows to go silent together, in
 * which case they stay UP, silent, with the guard on (see bench/README.md); the tasks stay as
 * they are. Or retired (the default): the tasks are stopped first (so they end STOPPED instead
 * of going back to PENDING when their nodes go DOWN), then the nodes stop in waves ({@link
 * Retirement}) until each is DOWN. One caller.
 */
final class Ending {
  private static final Logger LOG = LoggerFactory.getLogger(Ending.class);
  /** Acks of the last measured heartbeats come within a leadership check or two. */
  static final long ACK_SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
  static final long ACK_SETTLE_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** Stopping the tasks may take this much of the retire timeout at most. */
  static final long TASK_STOP_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final SimAgent[] agents;
  private final DownWatch watch;
  private final SimTasks tasks;
  private final Consumer<String> progress;
  private int tasksStopped;

  Ending(SimAgent[] agents, DownWatch watch, SimTasks tasks, Consumer<String> progress) {
    this.agents = agents;
    this.watch = watch;
    this.tasks = tasks;
    this.progress = progress;
  }

  /**
   * Waits (at most {@link #ACK_SETTLE_MAX_NANOS}) until no ack of a measured heartbeat has come
   * for {@link #ACK_SETTLE_NANOS}, so that the last heartbeats of the measured phase are not
   * counted unacked only because the fleet ended first.
   */
  static void settleAcks(SimStats stats) {
    long deadline = System.nanoTime() + ACK_SETTLE_MAX_NANOS;
    long before = -1;
    while (System.nanoTime() - deadline < 0 && stats.acks() != before) {
      before = stats.acks();
      LockSupport.parkNanos(ACK_SETTLE_NANOS);
    }
  }

  /** {@code --keep}: every session half-closed now; nodes and tasks left as they are. */
  AgentsReport.End closeAll(long startNanos) {
    for (SimAgent a : agents) {
      a.close();
    }
    return new AgentsReport.End(true, 0, 0, 0, seconds(startNanos), null);
  }

  /** Stops the tasks, then retires the nodes in waves until each is DOWN or {@code deadlineNanos}. */
  AgentsReport.End retire(CoordinatorClient client, long startNanos, long deadlineNanos) throws InterruptedException {
    if (tasks.submittedCount() > 0) {
      progress.accept("stopping " + tasks.submittedCount() + " tasks");
      tasksStopped = tasks.stopAll(Math.min(deadlineNanos, System.nanoTime() + TASK_STOP_MAX_NANOS));
    }
    Retirement.Result r;
    try {
      FailoverSettings failover = client.failoverSettings();
      if (failover.getStormGuardOn()) {
        r = new Retirement.Result(0, 0, 0, "the storm guard is on (" + failover.getStormGuardReason()
            + "): no node will be declared DOWN while it is; closed all at once");
      } else {
        int otherUp = 0;
        int otherSilent = 0;
        for (Node n : client.listNodes()) {
          if (watch.index(n.getId()) >= 0 || n.getState() != NodeState.NODE_UP) {
            continue;
          }
          otherUp++;
          long age = n.getLastHeartbeatAgeMs();
          if (age < 0 || age >= failover.getAvailableTtlMs()) {
            otherSilent++;
          }
        }
        progress.accept("retiring " + agents.length + " agents in waves the storm guard allows ("
            + failover.getStormPercent() + " % of " + (otherUp + agents.length) + " UP nodes at most silent)");
        r = new Retirement(agents, watch, System::nanoTime, progress)
            .run(otherUp, otherSilent, failover.getStormPercent(), deadlineNanos);
      }
    } catch (RuntimeException e) {
      LOG.warn("event=sim_retire_failed error=\"{}\"", e.toString());
      r = new Retirement.Result(0, 0, 0, "the cluster did not answer: " + e.getMessage());
    }
    for (SimAgent a : agents) {
      a.close();
    }
    return new AgentsReport.End(false, r.stopped(), r.down(), r.waves(), seconds(startNanos), r.incomplete());
  }

  int tasksStopped() {
    return tasksStopped;
  }

  private static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
  }
}
