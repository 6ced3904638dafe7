package org.openautoglm.oag.coordinator.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.NodeUsage;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places pending tasks on the first node they fit, oldest task first: the simplest placement
 * that works, until the resource-aware scheduler replaces it. Leader only.
 *
 * <p>Event-driven: a pass runs when {@link #poke()}d (a task became pending, capacity was
 * freed, a node registered or an agent connected), never on a timer; pokes during a pass
 * coalesce into one more pass. A pass reads the replicated state, decides with the pure
 * {@link #place} and proposes one PlaceTasks command; apply re-checks every placement, so a
 * decision made on a slightly old view is skipped, never applied wrongly. Only nodes whose
 * agent has a session with this leader are candidates.
 */
final class FirstFitPlacer {
  private static final Logger LOG = LoggerFactory.getLogger(FirstFitPlacer.class);
  /** Tasks considered per pass; a full pass that placed something runs again. */
  static final int PASS_LIMIT = 1000;

  /** Free resources of a candidate node. */
  record Free(String node, int cpuMillis, long memoryMib, int gpus) {
    boolean fits(TaskSpecRecord spec) {
      return spec.getCpuMillis() <= cpuMillis && spec.getMemoryMib() <= memoryMib && spec.getGpus() <= gpus;
    }

    Free minus(TaskSpecRecord spec) {
      return new Free(node, cpuMillis - spec.getCpuMillis(), memoryMib - spec.getMemoryMib(), gpus - spec.getGpus());
    }
  }

  private final RaftNode raft;
  private final Proposer proposer;
  private final Predicate<String> connected;
  private final Executor executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile boolean active;

  FirstFitPlacer(RaftNode raft, Proposer proposer, Predicate<String> connected, Executor executor) {
    this.raft = raft;
    this.proposer = proposer;
    this.connected = connected;
    this.executor = executor;
  }

  void start() {
    active = true;
    poke();
  }

  void stop() {
    active = false;
  }

  /** Asks for a pass soon; cheap, any thread. */
  void poke() {
    if (!active) {
      return;
    }
    again.set(true);
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::pass);
    }
  }

  private void pass() {
    again.set(false);
    List<Placement> placements;
    boolean full;
    try {
      List<TaskRecord> pending = active && raft.isLeader() ? raft.store().pendingTasks(PASS_LIMIT) : List.of();
      full = pending.size() >= PASS_LIMIT;
      placements = pending.isEmpty() ? List.of() : decide(raft.store(), pending);
    } catch (RuntimeException e) {
      LOG.warn("event=placement_pass_failed reason=\"{}\"", e.toString());
      placements = List.of();
      full = false;
    }
    if (placements.isEmpty()) {
      finish(false);
      return;
    }
    Command command = Command.newBuilder()
        .setHeader(FleetCommands.header())
        .setPlaceTasks(PlaceTasks.newBuilder().addAllPlacements(placements))
        .build();
    int count = placements.size();
    boolean more = full;
    proposer.propose(command).whenComplete((result, error) -> {
      if (error != null) {
        LOG.info("event=placement_not_applied placements={} reason=\"{}\"", count, error.toString());
      } else {
        LOG.debug("event=placements_applied placements={} result=\"{}\"", count, result.getMessage());
      }
      finish(error == null && more);
    });
  }

  /** Ends a pass; runs another if poked meanwhile, or if more tasks wait than one pass takes. */
  private void finish(boolean more) {
    scheduled.set(false);
    if (more || again.get()) {
      poke();
    }
  }

  private List<Placement> decide(StateStore store, List<TaskRecord> pending) {
    List<Free> free = new ArrayList<>();
    for (NodeRecord node : store.nodes()) {
      if (node.getStatus() == NodeStatus.UP && connected.test(node.getId())) {
        NodeUsage used = store.used(node.getId());
        free.add(new Free(node.getId(), node.getCapacity().getCpuMillis() - used.cpuMillis(),
            node.getCapacity().getMemoryMib() - used.memoryMib(),
            node.getCapacity().getGpusCount() - used.gpus()));
      }
    }
    return place(pending, free);
  }

  /** First fit, in the given order of tasks and nodes. Pure. */
  static List<Placement> place(List<TaskRecord> pending, List<Free> nodes) {
    List<Free> free = new ArrayList<>(nodes);
    List<Placement> placements = new ArrayList<>();
    for (TaskRecord task : pending) {
      for (int i = 0; i < free.size(); i++) {
        Free f = free.get(i);
        if (f.fits(task.getSpec())) {
          placements.add(Placement.newBuilder().setTaskId(task.getId()).setNode(f.node())
              .setExpectedVersion(task.getVersion()).build());
          free.set(i, f.minus(task.getSpec()));
          break;
        }
      }
    }
    return placements;
  }
}
