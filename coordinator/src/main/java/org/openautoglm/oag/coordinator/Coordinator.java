package org.openautoglm.oag.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openautoglm.oag.coordinator.api.ApiServer;
import org.openautoglm.oag.coordinator.failover.FailoverController;
import org.openautoglm.oag.coordinator.fleet.FleetController;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.http.CoordinatorMeters;
import org.openautoglm.oag.coordinator.http.HttpEndpoint;
import org.openautoglm.oag.coordinator.http.Readiness;
import org.openautoglm.oag.coordinator.leader.LeaderServices;
import org.openautoglm.oag.coordinator.migration.DrainController;
import org.openautoglm.oag.coordinator.migration.Rebalancer;
import org.openautoglm.oag.coordinator.peer.PeerClient;
import org.openautoglm.oag.coordinator.peer.PeerEndpoint;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftEvents;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordinator node: its Ratis server over the RocksDB state, the gRPC API
 * and the HTTP surface. {@link #start} returns once every listener is bound;
 * the node may still be electing a leader. {@link #close} hands leadership
 * to another member first when this node leads, then stops everything.
 * A fatal storage error closes the node and completes {@link #terminated()}
 * exceptionally. Thread-safe.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  /** How long a fatal error may take to close the node before it reports itself stopped anyway. */
  private static final Duration FATAL_CLOSE_BOUND = Duration.ofSeconds(15);

  private final CoordinatorConfig config;
  private final CoordinatorMeters meterSet;
  private final PrometheusMeterRegistry meters;
  private final PeerClient peers;
  private final RaftNode raft;
  private final Proposer proposer;
  private final LeaderServices leaderServices;
  private final FleetController fleet;
  private final FailoverController failover;
  private final DrainController drains;
  private final Rebalancer rebalancer;
  private final ApiServer api;
  private final HttpEndpoint http;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  private Coordinator(CoordinatorConfig config, CoordinatorMeters meterSet, PeerClient peers,
      FatalHandler fatal) throws IOException {
    this.config = config;
    this.meterSet = meterSet;
    this.meters = meterSet.registry();
    this.peers = peers;
    this.leaderServices = new LeaderServices(config.nodeId());
    this.raft = RaftNode.start(config, peers, RaftEvents.both(new MeteredEvents(meters), leaderServices), fatal);
    Proposer proposer = null;
    FleetController fleet = null;
    FailoverController failover = null;
    DrainController drains = null;
    Rebalancer rebalancer = null;
    ApiServer api = null;
    try {
      proposer = new Proposer(raft, Clock.SYSTEM, config.groupCommitMaxCommands(),
          config.groupCommitMaxBytes(), config.groupCommitWindow(), config.groupCommitMaxInFlight(), meters);
      fleet = new FleetController(raft, proposer, config.fleet(), meters);
      api = new ApiServer(config, raft, proposer, peers, meters, fleet);
      failover = FailoverController.onLeader(raft, proposer, fleet.view(), meters);
      drains = DrainController.onLeader(raft, proposer, meters);
      rebalancer = Rebalancer.onLeader(raft, proposer, fleet.view(), meters);
      leaderServices.register(fleet);
      leaderServices.register(failover);
      leaderServices.register(drains);
      leaderServices.register(rebalancer);
      leaderServices.bind(raft);
      this.proposer = proposer;
      this.fleet = fleet;
      this.failover = failover;
      this.drains = drains;
      this.rebalancer = rebalancer;
      this.api = api;
      registerGauges();
      this.http = config.httpPort() < 0 ? null
          : HttpEndpoint.start(config.bindHost(), config.httpPort(), config.nodeId(), meters,
              this::readiness, this::clusterJson);
    } catch (IOException | RuntimeException e) {
      leaderServices.close();
      if (api != null) {
        api.close();
      }
      if (failover != null) {
        failover.close();
      }
      if (drains != null) {
        drains.close();
      }
      if (rebalancer != null) {
        rebalancer.close();
      }
      if (fleet != null) {
        fleet.close();
      }
      if (proposer != null) {
        proposer.close();
      }
      raft.close();
      peers.close();
      throw e;
    }
  }

  public static Coordinator start(CoordinatorConfig config) throws IOException {
    DataDirIdentity.claim(config.dataDir(), config.clusterId(), config.nodeId());
    CoordinatorMeters meters = CoordinatorMeters.create(config.nodeId());
    PeerClient peers = new PeerClient(config);
    FatalHandler fatal = new FatalHandler();
    Coordinator c;
    try {
      c = new Coordinator(config, meters, peers, fatal);
    } catch (IOException | RuntimeException e) {
      meters.close();
      throw e;
    }
    fatal.started(c);
    LOG.info("event=coordinator_started node={} api={} raft={} http={}", config.nodeId(), c.apiAddress(),
        config.self().raftAddress(), c.httpPort());
    if (ForkJoinPool.getCommonPoolParallelism() < 2) {
      // Ratis runs async stages on the common pool; with parallelism 1 the JDK starts a
      // thread for each one instead (oag's launcher sizes the pool; an embedder must).
      LOG.warn("event=common_pool_too_small parallelism={} hint=\"start the JVM with "
          + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2\"",
          ForkJoinPool.getCommonPoolParallelism());
    }
    return c;
  }

  private void registerGauges() {
    MeterRegistry m = meters;
    Gauge.builder("oag_raft_is_leader", raft, r -> r.isLeader() ? 1 : 0).register(m);
    Gauge.builder("oag_raft_term", raft, RaftNode::term).register(m);
    Gauge.builder("oag_raft_commit_index", raft, RaftNode::commitIndex).register(m);
    Gauge.builder("oag_raft_applied_index", raft, RaftNode::appliedIndex).register(m);
    Gauge.builder("oag_dedupe_entries", raft, r -> r.store().dedupeSize()).register(m);
    Gauge.builder("oag_tasks", raft, r -> r.store().taskCount()).register(m);
    Gauge.builder("oag_storm_guard", raft, r -> r.store().meta().getCluster().getStormGuard().getOn() ? 1 : 0)
        .description("1 while the failover controller declares no node down: too many are silent at once")
        .register(m);
    Gauge.builder("oag_nodes_down", raft, r -> r.store().nodes().stream()
        .filter(n -> n.getStatus() == org.openautoglm.oag.state.v1.NodeStatus.DOWN).count()).register(m);
  }

  private Readiness readiness() {
    if (closed.get()) {
      return Readiness.notReady("shutting down");
    }
    return raft.leaderId() == null ? Readiness.notReady("no leader known") : Readiness.ready();
  }

  /** This member's own view, for {@code GET /v1/cluster}; cheap (no peer calls), as the HTTP thread needs. */
  private String clusterJson() {
    var s = PeerEndpoint.status(raft);
    return "{\"clusterId\":\"" + config.clusterId() + "\",\"node\":\"" + s.getId()
        + "\",\"role\":\"" + s.getRole() + "\",\"leader\":"
        + (s.getLeader().isEmpty() ? "null" : "\"" + s.getLeader() + "\"")
        + ",\"term\":" + s.getTerm() + ",\"appliedIndex\":" + s.getAppliedIndex()
        + ",\"digest\":\"" + s.getDigest() + "\"}";
  }

  public String nodeId() {
    return config.nodeId();
  }

  /** host:port of the gRPC API actually bound. */
  public String apiAddress() {
    return config.bindHost() + ":" + api.port();
  }

  /** The bound HTTP port, or -1 when HTTP is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public boolean isLeader() {
    return !closed.get() && raft.isLeader();
  }

  /** What this node, while it leads, knows about its agents from memory. */
  public FleetView fleet() {
    return fleet.view();
  }

  /** The Raft member, for in-process tests and tools of this module. */
  public RaftNode raft() {
    return raft;
  }

  /** Completes when the node has closed; exceptionally when a fatal error closed it. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  @Override
  public void close() {
    closeWith(true, null);
  }

  /**
   * Stops at once without handing off leadership, as a crash would (the
   * store is still closed cleanly, which a kill -9 would not do; the
   * multi-process tests cover that).
   */
  public void halt() {
    closeWith(false, null);
  }

  private void closeWith(boolean handOff, Throwable fatal) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (handOff) {
      handOffLeadership();
    }
    leaderServices.close();
    failover.close();
    drains.close();
    rebalancer.close();
    fleet.close();
    api.close();
    proposer.close();
    if (http != null) {
      http.close();
    }
    try {
      raft.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=raft_close_failed node={} reason={}", nodeId(), e.toString());
    }
    peers.close();
    meterSet.close();
    LOG.info("event=coordinator_stopped node={} fatal={}", nodeId(), fatal != null);
    if (fatal == null) {
      terminated.complete(null);
    } else {
      terminated.completeExceptionally(fatal);
    }
  }

  /** SIGTERM on the leader: move leadership first so clients see one short blip, not an election timeout. */
  private void handOffLeadership() {
    if (!raft.isLeader() || config.peers().size() < 2) {
      return;
    }
    try {
      String to = raft.transferLeadership("", 3000).get(4, TimeUnit.SECONDS);
      LOG.info("event=leadership_transferred node={} to={}", nodeId(), to);
    } catch (Exception e) {
      LOG.warn("event=leadership_transfer_failed node={} reason={}", nodeId(), e.toString());
    }
  }

  /** Closes the node (off the failing thread) when apply hits an I/O error. */
  private static final class FatalHandler implements java.util.function.Consumer<Throwable> {
    private Coordinator node;
    private Throwable early;

    @Override
    public synchronized void accept(Throwable error) {
      if (node == null) {
        early = early == null ? error : early;   // during start-up replay: closed once started
        return;
      }
      Coordinator c = node;
      Thread t = new Thread(() -> c.closeWith(false, error), "oag-fatal-close");
      t.setDaemon(true);
      t.start();
      // Closing Ratis after a failed log write may never finish (its state machine updater
      // can spin on the closed log): the node reports itself stopped after a bound anyway, so
      // its process exits and a supervisor restarts it.
      CompletableFuture.delayedExecutor(FATAL_CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> {
            if (c.terminated.completeExceptionally(error)) {
              LOG.error("event=fatal_close_timed_out node={} bound_ms={}", c.nodeId(),
                  FATAL_CLOSE_BOUND.toMillis());
            }
          });
    }

    synchronized void started(Coordinator c) {
      node = c;
      if (early != null) {
        accept(early);
      }
    }
  }

  /** Apply and snapshot meters. */
  private static final class MeteredEvents implements RaftEvents {
    private final Timer apply;
    private final DistributionSummary batch;
    private final Counter installs;

    MeteredEvents(MeterRegistry m) {
      apply = Timer.builder("oag_apply_latency").description("time to apply one Raft entry").register(m);
      batch = DistributionSummary.builder("oag_apply_batch_commands").description("commands per applied entry")
          .register(m);
      installs = Counter.builder("oag_snapshot_installs").description("checkpoints installed from the leader")
          .register(m);
    }

    @Override
    public void applied(long index, int commands, long applyNanos) {
      apply.record(applyNanos, TimeUnit.NANOSECONDS);
      batch.record(commands);
    }

    @Override
    public void snapshotInstalled(long index) {
      installs.increment();
    }
  }
}
