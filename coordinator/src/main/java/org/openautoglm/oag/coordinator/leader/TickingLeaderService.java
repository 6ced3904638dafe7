package org.openautoglm.oag.coordinator.leader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader service that looks at the replicated state every period, on a thread of its own,
 * while this node is the ready leader, and proposes what it decides one proposal at a time
 * (the next look waits until the last proposal is applied or failed). Its memory is only what
 * is in flight, so a new leader picks up from the replicated state.
 */
public abstract class TickingLeaderService implements LeaderService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TickingLeaderService.class);

  private final String name;
  private final long periodMs;
  private final ScheduledExecutorService executor;
  private volatile boolean active;
  private volatile boolean proposing;
  private ScheduledFuture<?> ticks;

  /**
   * @param name what the logs call it
   * @param executor runs the looks, the service's only thread; null: the caller calls
   *     {@link #tick} (a test on a fake clock)
   */
  protected TickingLeaderService(String name, long periodMs, ScheduledExecutorService executor) {
    this.name = name;
    this.periodMs = periodMs;
    this.executor = executor;
  }

  /** A single daemon thread named {@code name}, for {@link #TickingLeaderService}'s executor. */
  protected static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** One look at the state; it may call {@link #proposing}. Runs on the service's thread. */
  protected abstract void look();

  /** Called as leadership becomes ready, before the first look. */
  protected void started(long term) {}

  /** Records {@code inFlight} as the one proposal under way: no look until it is done. */
  protected final void proposing(CompletableFuture<?> inFlight) {
    proposing = true;
    inFlight.whenComplete((result, error) -> {
      if (error != null) {
        LOG.info("event=leader_service_proposal_not_applied service={} reason=\"{}\"", name, error.toString());
      }
      proposing = false;
    });
  }

  /** One look, unless this node is not the ready leader or a proposal is in flight. */
  public final void tick() {
    if (!active || proposing) {
      return;
    }
    try {
      look();
    } catch (RuntimeException e) {
      LOG.warn("event=leader_service_look_failed service={} reason=\"{}\"", name, e.toString());
    }
  }

  @Override
  public synchronized void onLeaderReady(long term) {
    started(term);
    active = true;
    proposing = false;
    if (ticks == null && executor != null) {
      ticks = executor.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void onStepDown() {
    active = false;
    if (ticks != null) {
      ticks.cancel(false);
      ticks = null;
    }
  }

  @Override
  public void close() {
    onStepDown();
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
