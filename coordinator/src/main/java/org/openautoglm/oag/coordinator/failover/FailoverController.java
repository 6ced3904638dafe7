package org.openautoglm.oag.coordinator.failover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.NodesSilent;
import org.openautoglm.oag.command.v1.SetStormGuard;
import org.openautoglm.oag.coordinator.failover.SilenceJudge.Silence;
import org.openautoglm.oag.coordinator.failover.SilenceJudge.Verdict;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.leader.TickingLeaderService;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.FailoverSettings;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.ClusterRecord;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover controller: on the ready leader, every {@link #TICK_MS} ms, it measures how
 * long each UP node has been silent (from the leader's in-memory heartbeat table; a node
 * never heard since this leader became ready gets a full TTL from then before any verdict,
 * its available work included), asks the {@link SilenceJudge} what that means under the replicated
 * settings and storm guard, and proposes the verdicts (NodesSilent, SetStormGuard), one
 * proposal at a time ({@link TickingLeaderService}).
 */
public final class FailoverController extends TickingLeaderService {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);
  static final long TICK_MS = 100;

  private final Supplier<StateStore> store;
  private final Function<Command, CompletableFuture<CommandResult>> proposer;
  private final FleetView fleet;
  private final LongSupplier nanoClock;
  private volatile long readyAtNanos;
  /**
   * UP nodes not heard since this leader became ready, listed by one pass over the nodes a
   * TTL after that (null before); it only shrinks, as a node registering is heard at once.
   * Ticks thread only.
   */
  private Set<String> neverHeard;
  private final Counter nodesDown;
  private final Counter availableMoves;

  /**
   * @param proposer proposes a command on this leader (the Proposer; a test applies directly)
   * @param nanoClock the monotonic clock the fleet's heartbeat ages are measured on
   * @param executor runs the ticks, the controller's only thread; null: the caller calls
   *     {@link #tick} (a test on a fake clock)
   */
  public FailoverController(Supplier<StateStore> store, Function<Command, CompletableFuture<CommandResult>> proposer,
      FleetView fleet, LongSupplier nanoClock, ScheduledExecutorService executor, MeterRegistry meters) {
    super("failover", TICK_MS, executor);
    this.nodesDown = Counter.builder("oag_failover_nodes_down").description("nodes this leader declared down")
        .register(meters);
    this.availableMoves = Counter.builder("oag_failover_available_moves")
        .description("silent nodes whose available work this leader moved before declaring them down")
        .register(meters);
    this.store = store;
    this.proposer = proposer;
    this.fleet = fleet;
    this.nanoClock = nanoClock;
  }

  /** The controller of {@code raft}'s leader, with its own thread; close it with the node. */
  public static FailoverController onLeader(RaftNode raft, Proposer proposer, FleetView fleet,
      MeterRegistry meters) {
    return new FailoverController(raft::store, proposer::propose, fleet, System::nanoTime,
        thread("oag-failover-" + raft.nodeId()), meters);
  }

  @Override
  protected void started(long term) {
    readyAtNanos = nanoClock.getAsLong();
    neverHeard = null;
  }

  /** One look at the fleet; proposes what the judge decides. */
  @Override
  protected void look() {
    StateStore s = store.get();
    ClusterRecord cluster = s.meta().getCluster();
    FailoverSettings settings = FailoverSettings.of(cluster.getFailover());
    Verdict verdict = SilenceJudge.judge(silences(s, settings), s.upNodeCount(), settings,
        cluster.getStormGuard().getOn());
    if (!verdict.isEmpty()) {
      propose(verdict);
    }
  }

  /**
   * The UP nodes that may be silent, without going through the fleet: those the deadline queue
   * has silent for the available TTL (a node heard before this leader was ready counts as
   * silent only since then), and, a TTL after this leader became ready (an agent may still be
   * looking for the new leader until then), those it never heard, silent since it was ready.
   */
  private List<Silence> silences(StateStore s, FailoverSettings settings) {
    long sinceReadyMs = (nanoClock.getAsLong() - readyAtNanos) / 1_000_000;
    List<Silence> silent = new ArrayList<>();
    if (sinceReadyMs < settings.availableTtlMs()) {
      return silent;
    }
    for (String id : fleet.silentFor(settings.availableTtlMs())) {
      NodeRecord node = s.node(id).orElse(null);
      if (node != null && node.getStatus() == NodeStatus.UP) {
        silent.add(silence(s, settings, node, Math.min(fleet.heartbeatAgeMs(id), sinceReadyMs)));
      }
    }
    if (sinceReadyMs < settings.ttlMs()) {
      return silent;
    }
    if (neverHeard == null) {
      neverHeard = new LinkedHashSet<>();
      for (NodeRecord node : s.nodes()) {
        if (node.getStatus() == NodeStatus.UP && fleet.heartbeatAgeMs(node.getId()) < 0) {
          neverHeard.add(node.getId());
        }
      }
    }
    for (Iterator<String> it = neverHeard.iterator(); it.hasNext(); ) {
      NodeRecord node = s.node(it.next()).orElse(null);
      if (node == null || node.getStatus() != NodeStatus.UP || fleet.heartbeatAgeMs(node.getId()) >= 0) {
        it.remove();
      } else {
        silent.add(silence(s, settings, node, sinceReadyMs));
      }
    }
    return silent;
  }

  private static Silence silence(StateStore s, FailoverSettings settings, NodeRecord node, long silentMs) {
    boolean available = silentMs >= settings.availableTtlMs() && hasAvailableWork(s, node.getId());
    return new Silence(node.getId(), node.getBootId(), silentMs, available);
  }

  private static boolean hasAvailableWork(StateStore s, String node) {
    for (TaskRecord t : s.tasksOnNode(node)) {
      if (t.getSpec().getFencing() == Fencing.AVAILABLE) {
        return true;
      }
    }
    return false;
  }

  private void propose(Verdict verdict) {
    List<Command> commands = new ArrayList<>();
    CommandHeader header = CommandHeader.newBuilder().setVersion(1).build();
    if (verdict.stormGuard() != null) {
      commands.add(Command.newBuilder().setHeader(header).setSetStormGuard(SetStormGuard.newBuilder()
          .setOn(verdict.stormGuard()).setReason(verdict.stormReason())).build());
      LOG.warn("event=storm_guard on={} reason=\"{}\"", verdict.stormGuard(), verdict.stormReason());
    }
    if (!verdict.nodes().isEmpty()) {
      commands.add(Command.newBuilder().setHeader(header)
          .setNodesSilent(NodesSilent.newBuilder().addAllNodes(verdict.nodes())).build());
      verdict.nodes().forEach(n -> {
        LOG.info("event=node_silent node={} boot={} silent_ms={} down={}", n.getNodeId(), n.getBootId(),
            n.getSilentMs(), n.getDown());
        (n.getDown() ? nodesDown : availableMoves).increment();
      });
    }
    CompletableFuture<?> all = CompletableFuture.completedFuture(null);
    for (Command c : commands) {
      all = all.thenCompose(x -> proposer.apply(c));
    }
    proposing(all);
  }
}
