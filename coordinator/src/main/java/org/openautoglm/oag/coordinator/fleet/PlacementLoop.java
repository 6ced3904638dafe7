package org.openautoglm.oag.coordinator.fleet;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.WaitReason;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.scheduler.Constraint;
import org.openautoglm.oag.coordinator.scheduler.NodeSnapshot;
import org.openautoglm.oag.coordinator.scheduler.Plan;
import org.openautoglm.oag.coordinator.scheduler.Resources;
import org.openautoglm.oag.coordinator.scheduler.Scheduler;
import org.openautoglm.oag.coordinator.scheduler.TaskDemand;
import org.openautoglm.oag.coordinator.state.FailoverSettings;
import org.openautoglm.oag.coordinator.state.NodeStates;
import org.openautoglm.oag.coordinator.state.NodeUsage;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.PlacementStrategy;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Scheduler} on the leader and proposes its plan: one PlaceTasks command with
 * the placements and, for every task that fits nowhere, the reason it waits.
 *
 * <p>Event-driven: a pass runs when {@link #poke()}d (a task became pending, capacity was
 * freed, a node registered, an agent connected or was heard again after a silence), never on
 * a timer; pokes during a round coalesce into one more round once the current one ends. A
 * round goes through the whole wait queue in placement order (higher priority first, then
 * first come), {@link #PASS_LIMIT} tasks per pass, so tasks that fit nowhere never hide the
 * ones behind them. A pass reads the replicated state into a snapshot (only nodes whose agent
 * has a session with this leader and was heard within the available TTL count as up; live CPU
 * comes from their latest heartbeat), decides with the pure {@link Scheduler#schedule} and
 * proposes; apply re-checks every placement, so a decision made on a slightly old view is
 * skipped, never applied wrongly.
 */
final class PlacementLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PlacementLoop.class);
  /** Tasks considered per pass; a round of passes goes through the whole wait queue. */
  static final int PASS_LIMIT = 1000;
  /**
   * How old a recorded wait reason of the same kind must be before new figures replace it:
   * every freed or taken MiB changes "largest free ...", and rewriting every waiting task's
   * message on each such change would cost one replicated write per waiting task per pass.
   */
  static final long REASON_REFRESH_MS = 30_000;

  private final RaftNode raft;
  private final Proposer proposer;
  private final FleetView fleet;
  private final Executor executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile boolean active;
  /** The last task of the previous pass when a round is under way; null: a round starts. */
  private volatile TaskRecord cursor;   // passes never overlap
  private final Counter rejections;

  PlacementLoop(RaftNode raft, Proposer proposer, FleetView fleet, Executor executor, Counter rejections) {
    this.rejections = rejections;
    this.raft = raft;
    this.proposer = proposer;
    this.fleet = fleet;
    this.executor = executor;
  }

  void start() {
    cursor = null;
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
    run();
  }

  /** Runs a pass unless one is under way; unlike {@link #poke}, no reason for a new round. */
  private void run() {
    if (active && scheduled.compareAndSet(false, true)) {
      executor.execute(this::pass);
    }
  }

  private void pass() {
    if (cursor == null) {
      again.set(false);   // a round starts: it covers every poke so far
    }
    PlaceTasks plan;
    boolean full;
    try {
      StateStore store = raft.store();
      // No node registered at all: nothing can be placed and no task's reason would change,
      // so the queue is not read (a benchmark queues 100,000 tasks before any agent joins).
      // The nodes are read only for a queue that has tasks: a pass over an empty queue is cheap.
      boolean noNode = store.upNodeCount() == 0 && store.nodes().isEmpty();
      List<TaskRecord> pending = active && raft.isLeader() && !noNode
          ? store.pendingTasks(cursor, PASS_LIMIT) : List.of();
      full = pending.size() >= PASS_LIMIT;
      cursor = full ? pending.get(pending.size() - 1) : null;
      plan = pending.isEmpty() ? PlaceTasks.getDefaultInstance() : decide(store, pending);
    } catch (RuntimeException e) {
      LOG.warn("event=placement_pass_failed reason=\"{}\"", e.toString());
      plan = PlaceTasks.getDefaultInstance();
      full = false;
      cursor = null;
    }
    boolean more = full;
    if (plan.getPlacementsCount() == 0 && plan.getWaitingCount() == 0) {
      finish(more);
      return;
    }
    Command command = Command.newBuilder().setHeader(FleetCommands.header()).setPlaceTasks(plan).build();
    int count = plan.getPlacementsCount();
    proposer.propose(command).whenComplete((result, error) -> {
      if (error != null) {
        LOG.info("event=placement_not_applied placements={} reason=\"{}\"", count, error.toString());
      } else if (result.getRejectedCount() > 0) {
        rejections.increment(result.getRejectedCount());
        LOG.info("event=placements_rejected placements={} rejected={} result=\"{}\"", count,
            result.getRejectedCount(), result.getMessage());
      } else {
        LOG.debug("event=placements_applied placements={} result=\"{}\"", count, result.getMessage());
      }
      if (error != null) {
        cursor = null;   // start the round again
      }
      finish(error == null && more);
    });
  }

  /**
   * Ends a pass; runs the round's next one, or at the end of a round a new round if poked
   * since it started (a task it already passed may fit now).
   */
  private void finish(boolean more) {
    scheduled.set(false);
    if (more) {
      run();   // not a poke: going on with the round must not make the round run again
    } else if (again.get()) {
      poke();
    }
  }

  /**
   * Whether {@code reason} should replace the {@code recorded} message (set at
   * {@code recordedAtMs}): when it says something else, or says the same kind of thing
   * ({@code insufficient memory: ...}) with other figures and the recorded one is at least
   * {@link #REASON_REFRESH_MS} old.
   */
  static boolean worthRecording(String recorded, long recordedAtMs, String reason, long nowMs) {
    if (recorded.equals(reason)) {
      return false;
    }
    return !kind(recorded).equals(kind(reason)) || nowMs - recordedAtMs >= REASON_REFRESH_MS;
  }

  /** A reason without its figures: the text before the first ':' or '(' (all of it if none). */
  private static String kind(String reason) {
    int end = reason.length();
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      if (c == ':' || c == '(') {
        end = i;
        break;
      }
    }
    return reason.substring(0, end);
  }

  /**
   * Whether {@code node}'s agent has a session with this leader and was heard within
   * {@code freshMs}: a silent agent (frozen, cut off) keeps its session for a while, and work
   * just taken off it for its silence must not go straight back.
   */
  private boolean heardLately(String node, long freshMs) {
    long age = fleet.heartbeatAgeMs(node);
    return fleet.connected(node) && age >= 0 && age < freshMs;
  }

  /**
   * Where {@code task} must not go: the node its last allocation failed on (not the place to
   * retry it), and the node a migration moves it off.
   */
  private static Set<String> avoid(TaskRecord task) {
    Set<String> avoid = new HashSet<>();
    if (task.hasAllocation() && task.getAllocation().getStatus() == AllocationStatus.ALLOC_FAILED) {
      avoid.add(task.getAllocation().getNode());
    }
    if (task.hasMigration()) {
      avoid.add(task.getMigration().getFromNode());
    }
    return avoid;
  }

  /**
   * The plan for {@code pending} on the store's nodes (at least one): placements,
   * and wait reasons for the tasks whose recorded message does not already say why they wait.
   */
  private PlaceTasks decide(StateStore store, List<TaskRecord> pending) {
    List<NodeSnapshot> nodes = new ArrayList<>();
    long freshMs = FailoverSettings.of(store.meta().getCluster().getFailover()).availableTtlMs();
    for (NodeRecord node : store.nodes()) {
      NodeUsage used = store.used(node.getId());
      nodes.add(new NodeSnapshot(node.getId(), node.getStatus() == NodeStatus.UP && heardLately(node.getId(), freshMs),
          NodeStates.isEligible(node),
          new Resources(node.getCapacity().getCpuMillis(), node.getCapacity().getMemoryMib(),
              node.getCapacity().getGpusCount()),
          new Resources(used.cpuMillis(), used.memoryMib(), used.gpus()),
          node.getLabelsMap(),
          fleet.host(node.getId()).map(h -> h.getCpuPercent()).orElse(-1.0)));
    }
    Map<String, TaskRecord> byId = new HashMap<>();
    List<TaskDemand> demands = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      TaskRecord t = pending.get(i);
      byId.put(t.getId(), t);
      demands.add(new TaskDemand(t.getId(), i, t.getSpec().getPriority(),
          new Resources(t.getSpec().getCpuMillis(), t.getSpec().getMemoryMib(), t.getSpec().getGpus()),
          t.getSpec().getConstraintsList().stream().map(Constraint::parse).toList(),
          t.getSpec().getPlacement() == PlacementStrategy.SPREAD
              ? TaskDemand.Strategy.SPREAD : TaskDemand.Strategy.BINPACK,
          avoid(t), t.hasMigration() ? t.getMigration().getToNode() : ""));
    }
    Plan plan = Scheduler.schedule(nodes, demands);
    PlaceTasks.Builder command = PlaceTasks.newBuilder();
    for (Plan.Placement p : plan.placements()) {
      TaskRecord t = byId.get(p.taskId());
      command.addPlacements(Placement.newBuilder().setTaskId(p.taskId()).setNode(p.node())
          .setExpectedVersion(t.getVersion())
          .setPreviousGeneration(t.hasAllocation() ? t.getAllocation().getGeneration() : 0));
    }
    long now = System.currentTimeMillis();
    plan.waiting().forEach((id, reason) -> {
      TaskRecord t = byId.get(id);
      String recorded = t.getStatus() == TaskStatus.PENDING ? t.getMessage() : t.getMigration().getBlocked();
      if (worthRecording(recorded, t.getUpdatedAtMs(), reason, now)) {
        command.addWaiting(WaitReason.newBuilder().setTaskId(id).setExpectedVersion(t.getVersion())
            .setReason(reason));
      }
    });
    return command.build();
  }
}
