package org.openautoglm.oag.coordinator.fleet;

import io.grpc.BindableService;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.leader.LeaderService;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.AppliedChanges;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of its agents: the AgentService endpoint, the in-memory {@link Fleet},
 * transitions into the log, placement (the scheduler) and log routing. Sessions are served while
 * this node is a ready leader; on step-down every session is ended (agents reconnect to the
 * new leader, or through a follower's relay) and the in-memory table is dropped.
 *
 * <p>Replicated changes reach it through {@link #applied}: the sessions of the touched nodes
 * get their new desired set, and placement runs when it may help. Both hop to this
 * controller's own thread, never work on the apply thread. Thread-safe.
 */
public final class FleetController implements LeaderService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetController.class);

  private final RaftNode raft;
  private final Proposer proposer;
  private final ScheduledExecutorService executor;
  private final ScheduledExecutorService ackExecutor;
  private final SessionRelay relay;
  private final FleetContext context;
  private final AgentEndpoint endpoint;
  /** Nodes whose desired set changed and is not yet pushed; {@link #pushQueued}: a push run is queued. */
  private final Set<String> unpushed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pushQueued = new AtomicBoolean();

  public FleetController(RaftNode raft, Proposer proposer, FleetSettings settings, MeterRegistry meters) {
    this.raft = raft;
    this.proposer = proposer;
    this.executor = thread("oag-fleet-" + raft.nodeId());
    // Lease acks never wait behind a placement pass or a desired-set push: an agent whose acks
    // stall gives its session up (1 s) and reconnects, which costs the leader more.
    this.ackExecutor = thread("oag-lease-acks-" + raft.nodeId());
    Fleet fleet = new Fleet(System::nanoTime);
    this.relay = new SessionRelay(raft, executor);
    TransitionBatcher transitions = new TransitionBatcher(raft::store, proposer, executor, System::nanoTime,
        Counter.builder("oag_keeper_kills").description("allocations an agent reported its lease keeper killed"
            + " (the lease lapsed)").register(meters));
    PlacementLoop placer = new PlacementLoop(raft, proposer, fleet, executor,
        Counter.builder("oag_plan_rejections").description("placements the plan applier refused").register(meters));
    LogRouter logs = new LogRouter(new LogRouter.FleetSource() {
      @Override
      public boolean leads() {
        return raft.isLeader();
      }

      @Override
      public Fleet fleet() {
        return fleet;
      }

      @Override
      public StateStore store() {
        return raft.store();
      }

      @Override
      public CoordinatorException.NotLeader notLeader() {
        return raft.notLeader();
      }
    });
    LeaseAcks acks = new LeaseAcks(new LeaseAcks.Leadership() {
      @Override
      public long leadingTerm() {
        return raft.isLeader() ? raft.term() : -1;
      }

      @Override
      public java.util.concurrent.CompletableFuture<Void> confirm() {
        return raft.readBarrier();
      }
    }, ackExecutor, System::nanoTime, Timer.builder("oag_lease_ack_delay").description(
        "heartbeat receipt to ack, the leadership check included; an agent's lease margin is L minus this")
        .publishPercentiles(0.5, 0.99).register(meters));
    this.context = new FleetContext(raft, fleet, transitions, placer, logs, acks, settings);
    this.endpoint = new AgentEndpoint(this);
    raft.addApplyListener(this::applied);
    executor.scheduleWithFixedDelay(this::endForeignSessions, 200, 200, TimeUnit.MILLISECONDS);
  }

  private static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** The gRPC AgentService to serve. */
  public BindableService endpoint() {
    return endpoint;
  }

  /** Heartbeat ages and live metrics, as this node knows them (nothing unless it leads). */
  public FleetView view() {
    return context.fleet();
  }

  public LogRouter logs() {
    return context.logs();
  }

  FleetContext context() {
    return context;
  }

  SessionRelay relay() {
    return relay;
  }

  Proposer proposer() {
    return proposer;
  }

  @Override
  public void onLeaderReady(long term) {
    context.transitions().clear();
    context.placer().start();
  }

  @Override
  public void onStepDown() {
    context.placer().stop();
    endAll("this coordinator no longer leads; reconnect to the leader");
    context.fleet().clear();
    context.transitions().clear();
  }

  private void applied(AppliedChanges changes) {
    if (!changes.nodes().isEmpty()) {
      unpushed.addAll(changes.nodes());
      if (pushQueued.compareAndSet(false, true)) {
        executor.execute(this::pushDesiredSets);
      }
    }
    if (changes.placementMayHelp()) {
      context.placer().poke();
    }
  }

  /**
   * One desired set per node touched since the last run, however many applied entries touched
   * it: a push reads the node's whole set from the store, so pushing once per entry cost a
   * node with many tasks one full read per placement while the placer was busy.
   */
  private void pushDesiredSets() {
    pushQueued.set(false);  // before draining: a node added from here on queues another run
    for (Iterator<String> it = unpushed.iterator(); it.hasNext(); ) {
      String node = it.next();
      it.remove();
      context.fleet().session(node).ifPresent(AgentSession::pushDesiredSet);
    }
  }

  /** Ends sessions opened in an older term or on a node that no longer leads. */
  private void endForeignSessions() {
    try {
      boolean leads = raft.isLeaderRole();
      long term = leads ? raft.term() : -1;
      for (AgentSession s : context.fleet().sessions()) {
        if (s.term() != term) {
          s.end(Status.UNAVAILABLE.withDescription("this coordinator no longer leads in term " + s.term()));
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("event=fleet_check_failed reason=\"{}\"", e.toString());
    }
  }

  private void endAll(String why) {
    for (AgentSession s : context.fleet().sessions()) {
      s.end(Status.UNAVAILABLE.withDescription(why));
    }
  }

  @Override
  public void close() {
    endAll("the coordinator is shutting down");
    executor.shutdownNow();
    ackExecutor.shutdownNow();
    relay.close();
  }
}
