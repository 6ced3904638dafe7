package org.openautoglm.oag.coordinator.migration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.MigrateTasks;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.leader.TickingLeaderService;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.FailoverSettings;
import org.openautoglm.oag.coordinator.state.NodeStates;
import org.openautoglm.oag.coordinator.state.NodeUsage;
import org.openautoglm.oag.coordinator.state.RebalanceSettings;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalancer: on the ready leader, once per replicated interval, it asks the
 * {@link RebalancePlanner} which movable tasks to migrate between the nodes that may take
 * work (UP, eligible, not draining, heard within the available TTL) and proposes them
 * (MigrateTasks with a target node). While a rebalance migration is still under way it waits:
 * both instances of a make-before-break move count on their nodes until it ends, and
 * planning over that would move more than the spread asks for.
 */
public final class Rebalancer extends TickingLeaderService {
  private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
  static final long TICK_MS = 1_000;
  static final String REASON = "rebalance";

  private final Supplier<StateStore> store;
  private final Function<Command, CompletableFuture<CommandResult>> proposer;
  private final FleetView fleet;
  private final LongSupplier wallClock;
  private final Counter moves;
  private volatile long lastPlanMs;

  /**
   * @param wallClock milliseconds since the epoch (the cool-down is in replicated time)
   * @param executor runs the looks; null: the caller calls {@link #tick} (a test)
   */
  public Rebalancer(Supplier<StateStore> store, Function<Command, CompletableFuture<CommandResult>> proposer,
      FleetView fleet, LongSupplier wallClock, ScheduledExecutorService executor, MeterRegistry meters) {
    super("rebalancer", TICK_MS, executor);
    this.store = store;
    this.proposer = proposer;
    this.fleet = fleet;
    this.wallClock = wallClock;
    this.moves = Counter.builder("oag_rebalance_moves").description("migrations the rebalancer began")
        .register(meters);
  }

  /** The rebalancer of {@code raft}'s leader, with its own thread; close it with the node. */
  public static Rebalancer onLeader(RaftNode raft, Proposer proposer, FleetView fleet, MeterRegistry meters) {
    return new Rebalancer(raft::store, proposer::propose, fleet, System::currentTimeMillis,
        thread("oag-rebalance-" + raft.nodeId()), meters);
  }

  @Override
  protected void started(long term) {
    lastPlanMs = wallClock.getAsLong();   // a new leader first lets the fleet reconnect
  }

  @Override
  protected void look() {
    StateStore s = store.get();
    RebalanceSettings settings = RebalanceSettings.of(s.meta().getCluster().getRebalance());
    long now = wallClock.getAsLong();
    if (settings.disabled() || now - lastPlanMs < settings.intervalMs()) {
      return;
    }
    lastPlanMs = now;
    long freshMs = FailoverSettings.of(s.meta().getCluster().getFailover()).availableTtlMs();
    List<RebalancePlanner.NodeLoad> nodes = new ArrayList<>();
    for (NodeRecord node : s.nodes()) {
      List<TaskRecord> tasks = s.tasksOnNode(node.getId());
      if (tasks.stream().anyMatch(t -> t.hasMigration() && REASON.equals(t.getMigration().getReason()))) {
        return;   // the last moves are still under way
      }
      long age = fleet.heartbeatAgeMs(node.getId());
      boolean takesWork = NodeStates.acceptsWork(node) && fleet.connected(node.getId()) && age >= 0 && age < freshMs;
      if (!takesWork) {
        continue;
      }
      NodeUsage used = s.used(node.getId());
      nodes.add(new RebalancePlanner.NodeLoad(node.getId(), node.getCapacity().getCpuMillis(),
          node.getCapacity().getMemoryMib(), used.cpuMillis(), used.memoryMib(),
          fleet.host(node.getId()).map(h -> h.getCpuPercent()).orElse(-1.0), tasks));
    }
    List<Migration> plan = RebalancePlanner.plan(nodes, settings, now);
    if (plan.isEmpty()) {
      return;
    }
    plan.forEach(m -> LOG.info("event=rebalance_move task={} to={}", m.getTaskId(), m.getToNode()));
    moves.increment(plan.size());
    proposing(proposer.apply(Command.newBuilder().setHeader(CommandHeader.newBuilder().setVersion(1))
        .setMigrateTasks(MigrateTasks.newBuilder().addAllMigrations(plan)).build()));
  }
}
