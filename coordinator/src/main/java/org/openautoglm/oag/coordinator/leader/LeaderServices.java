package org.openautoglm.oag.coordinator.leader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.coordinator.raft.RaftEvents;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the {@link LeaderService}s in registration order when this node becomes a ready
 * leader and stops them in reverse order when it stops leading or its term changes.
 *
 * <p>Why a poll as well as events: Ratis tells us about leader changes on its own threads,
 * which must not block, and a leader that is cut off learns it lost leadership only when it
 * steps down by itself. So the events only trigger a check, and a check also runs every
 * {@link #CHECK_MS} ms; every check compares (ready leader?, term) with what the services were
 * last told, on one thread.
 */
public final class LeaderServices implements RaftEvents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderServices.class);
  static final long CHECK_MS = 100;

  private final List<LeaderService> services = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread;
  private volatile RaftNode raft;
  private long leadingTerm = -1;   // the check thread only; -1: services stopped

  public LeaderServices(String nodeId) {
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "oag-leader-services-" + nodeId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts checking {@code raft}'s role; call once, after every service is registered. */
  public void bind(RaftNode raft) {
    this.raft = raft;
    thread.scheduleWithFixedDelay(this::check, 0, CHECK_MS, TimeUnit.MILLISECONDS);
  }

  public void register(LeaderService service) {
    services.add(service);
  }

  @Override
  public void leaderChanged(String leaderId) {
    trigger();
  }

  @Override
  public void leaderReady() {
    trigger();
  }

  private void trigger() {
    if (raft != null && !thread.isShutdown()) {
      try {
        thread.execute(this::check);
      } catch (RuntimeException e) {
        LOG.debug("event=leader_check_not_scheduled reason=\"{}\"", e.toString());
      }
    }
  }

  private void check() {
    try {
      boolean leads = raft.isLeader();
      long term = leads ? raft.term() : -1;
      if (term == leadingTerm) {
        return;
      }
      if (leadingTerm >= 0) {
        stopAll();
      }
      if (leads) {
        leadingTerm = term;
        LOG.info("event=leader_services_starting node={} term={}", raft.nodeId(), term);
        for (LeaderService s : services) {
          s.onLeaderReady(term);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("event=leader_check_failed reason=\"{}\"", e.toString());
    }
  }

  private void stopAll() {
    LOG.info("event=leader_services_stopping node={} term={}", raft.nodeId(), leadingTerm);
    leadingTerm = -1;
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).onStepDown();
      } catch (RuntimeException e) {
        LOG.warn("event=leader_service_stop_failed service={} reason=\"{}\"",
            services.get(i).getClass().getSimpleName(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (leadingTerm >= 0 && raft != null) {
      stopAll();
    }
  }
}
