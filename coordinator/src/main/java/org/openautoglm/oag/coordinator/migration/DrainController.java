package org.openautoglm.oag.coordinator.migration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.FinishDrain;
import org.openautoglm.oag.command.v1.MigrateTasks;
import org.openautoglm.oag.command.v1.Migration;
import org.openautoglm.oag.coordinator.leader.TickingLeaderService;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain controller: on the ready leader, every {@link #TICK_MS} ms, it asks the
 * {@link DrainPlanner} what each draining node needs next and proposes it (MigrateTasks,
 * FinishDrain), one proposal at a time ({@link TickingLeaderService}).
 */
public final class DrainController extends TickingLeaderService {
  private static final Logger LOG = LoggerFactory.getLogger(DrainController.class);
  static final long TICK_MS = 250;

  private final Supplier<StateStore> store;
  private final Function<Command, CompletableFuture<CommandResult>> proposer;
  private final LongSupplier wallClock;
  private final Counter migrations;
  private final Counter forced;
  private final Counter finished;

  /**
   * @param proposer proposes a command on this leader (the Proposer; a test applies directly)
   * @param wallClock milliseconds since the epoch, compared with drain deadlines
   * @param executor runs the ticks; null: the caller calls {@link #tick} (a test)
   */
  public DrainController(Supplier<StateStore> store, Function<Command, CompletableFuture<CommandResult>> proposer,
      LongSupplier wallClock, ScheduledExecutorService executor, MeterRegistry meters) {
    super("drain", TICK_MS, executor);
    this.store = store;
    this.proposer = proposer;
    this.wallClock = wallClock;
    this.migrations = Counter.builder("oag_drain_migrations").description("migrations a drain began")
        .register(meters);
    this.forced = Counter.builder("oag_drain_deadline_stops")
        .description("tasks a drain stopped on their node at its deadline").register(meters);
    this.finished = Counter.builder("oag_drains_finished").description("drains that ended with nothing left")
        .register(meters);
  }

  /** The controller of {@code raft}'s leader, with its own thread; close it with the node. */
  public static DrainController onLeader(RaftNode raft, Proposer proposer, MeterRegistry meters) {
    return new DrainController(raft::store, proposer::propose, System::currentTimeMillis,
        thread("oag-drain-" + raft.nodeId()), meters);
  }

  /** One look at every draining node; proposes the first node's next step. */
  @Override
  protected void look() {
    StateStore s = store.get();
    for (NodeRecord node : s.nodes()) {
      if (!node.hasDrain()) {
        continue;
      }
      DrainPlanner.Step step = DrainPlanner.plan(node, s.tasksOnNode(node.getId()), wallClock.getAsLong());
      if (step.finished()) {
        LOG.info("event=drain_finished node={}", node.getId());
        finished.increment();
        propose(Command.newBuilder().setFinishDrain(FinishDrain.newBuilder().setNodeId(node.getId())));
        return;
      }
      if (!step.migrations().isEmpty()) {
        long stops = step.migrations().stream().filter(Migration::getForce).count();
        LOG.info("event=drain_step node={} migrations={} stopped_at_deadline={}", node.getId(),
            step.migrations().size() - stops, stops);
        migrations.increment(step.migrations().size() - stops);
        forced.increment(stops);
        propose(Command.newBuilder().setMigrateTasks(MigrateTasks.newBuilder().addAllMigrations(step.migrations())));
        return;
      }
    }
  }

  private void propose(Command.Builder command) {
    proposing(proposer.apply(command.setHeader(CommandHeader.newBuilder().setVersion(1)).build()));
  }
}
