package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.Rejection;
import org.openautoglm.oag.command.v1.WaitReason;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * PlaceTasks: the plan applier. The leader's scheduler decided on a snapshot
 * that may be stale by now, so each placement is re-checked against the state
 * as this batch sees it (earlier placements of the same command included) and
 * skipped, not failed, when it no longer holds:
 *
 * <ol>
 *   <li>the task exists, is PENDING (or waits for the new instance of a make-before-break
 *       migration), and its version and its allocation's generation are the ones decided on;
 *   <li>its previous allocation, if any, has ended (never two live at once: for an exclusive
 *       task the old instance is gone before a new one is placed), except for that new
 *       instance of a migration;
 *   <li>the node is registered, UP and ELIGIBLE (not cordoned), and not the one a migration
 *       moves the task off;
 *   <li>the task's cpu, memory and GPUs fit the node's capacity minus what its
 *       live allocations use (replicated accounting, never live metrics).
 * </ol>
 *
 * A placed task gets a new allocation {@code <task id>.<generation>} (above every earlier
 * generation, 1 for the first) ASSIGNED to the node and becomes SCHEDULED; the previous
 * allocation joins the task's history, and a break-before-make migration ends. A migration's
 * new instance is placed beside the old one instead: the old one moves to
 * {@code migration.old} and runs on, and the task stays as it is. The result is OK, its
 * message counting what was placed and naming why each skipped placement was skipped,
 * and {@code rejected} listing them; the next scheduling pass retries those tasks.
 *
 * <p>A wait reason (a task the scheduler could place nowhere) becomes the
 * task's message, if the task is still PENDING at the version decided on and
 * the message differs; a changed reason is also an event ({@code task.waiting}).
 * For a migration's new instance it becomes the migration's {@code blocked}.
 */
final class PlaceTasksApplier implements CommandApplier<PlaceTasks> {

  static final int MAX_PLACEMENTS = 10_000;

  @Override
  public Optional<Violation> validate(PlaceTasks body) {
    if (body.getPlacementsCount() > MAX_PLACEMENTS) {
      return Violation.of("placements", body.getPlacementsCount() + " entries, at most " + MAX_PLACEMENTS);
    }
    if (body.getWaitingCount() > MAX_PLACEMENTS) {
      return Violation.of("waiting", body.getWaitingCount() + " entries, at most " + MAX_PLACEMENTS);
    }
    for (int i = 0; i < body.getWaitingCount(); i++) {
      if (Keys.seqOfTaskId(body.getWaiting(i).getTaskId()) < 0) {
        return Violation.of("waiting[" + i + "].task_id", "malformed task id '"
            + body.getWaiting(i).getTaskId() + "'");
      }
    }
    for (int i = 0; i < body.getPlacementsCount(); i++) {
      Placement p = body.getPlacements(i);
      if (Keys.seqOfTaskId(p.getTaskId()) < 0) {
        return Violation.of("placements[" + i + "].task_id", "malformed task id '" + p.getTaskId() + "'");
      }
      Optional<Violation> bad = RegisterNodeApplier.checkNodeId("placements[" + i + "].node", p.getNode());
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, PlaceTasks body) {
    int placed = 0;
    List<String> skipped = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Placement p : body.getPlacementsList()) {
      Optional<String> why = place(ws, p);
      if (why.isPresent()) {
        skipped.add(p.getTaskId() + " " + why.get());
        rejected.add(Rejection.newBuilder().setTaskId(p.getTaskId()).setNode(p.getNode())
            .setReason(why.get()).build());
      } else {
        placed++;
      }
    }
    int waiting = 0;
    for (WaitReason w : body.getWaitingList()) {
      waiting += recordWait(ws, w) ? 1 : 0;
    }
    String message = "placed " + placed
        + (skipped.isEmpty() ? "" : ", skipped " + skipped.size() + ": " + String.join("; ", skipped))
        + (waiting == 0 ? "" : ", " + waiting + " wait reasons recorded");
    return Results.ok(message).toBuilder().addAllRejected(rejected).build();
  }

  /** Records why a task waits; whether it changed anything. */
  private static boolean recordWait(WorkingSet ws, WaitReason w) {
    long seq = Keys.seqOfTaskId(w.getTaskId());
    TaskRecord task = ws.task(seq);
    if (task == null || task.getVersion() != w.getExpectedVersion()) {
      return false;
    }
    boolean newInstance = Migrations.needsNewInstance(task);
    String recorded = newInstance ? task.getMigration().getBlocked() : task.getMessage();
    if ((task.getStatus() != TaskStatus.PENDING && !newInstance) || recorded.equals(w.getReason())) {
      return false;
    }
    TaskRecord.Builder b = task.toBuilder().setUpdatedAtMs(ws.timeMs()).setVersion(ws.index());
    if (newInstance) {
      b.setMigration(task.getMigration().toBuilder().setBlocked(w.getReason()));
    } else {
      b.setMessage(w.getReason());
    }
    TaskRecord waiting = b.build();
    ws.putTask(seq, waiting);
    ws.emit(Events.of(waiting, "task.waiting", w.getReason()));
    return true;
  }

  /** Places one task; empty when placed, else why not. */
  private static Optional<String> place(WorkingSet ws, Placement p) {
    long seq = Keys.seqOfTaskId(p.getTaskId());
    TaskRecord task = ws.task(seq);
    if (task == null) {
      return Optional.of("not found");
    }
    boolean newInstance = Migrations.needsNewInstance(task);
    if (task.getStatus() != TaskStatus.PENDING && !newInstance) {
      return Optional.of("is " + task.getStatus() + ", not PENDING");
    }
    if (task.getVersion() != p.getExpectedVersion()) {
      return Optional.of("version changed (expected " + p.getExpectedVersion() + ", is " + task.getVersion() + ")");
    }
    long previous = task.hasAllocation() ? task.getAllocation().getGeneration() : 0;
    if (previous != p.getPreviousGeneration()) {
      return Optional.of("generation changed (expected " + p.getPreviousGeneration() + ", is " + previous + ")");
    }
    if (!newInstance && task.hasMigration() && task.getMigration().hasOld()
        && TaskStates.isLive(task.getMigration().getOld().getStatus())) {
      return Optional.of("its old instance " + task.getMigration().getOld().getId() + " on "
          + task.getMigration().getOld().getNode() + " is still stopping");
    }
    if (!newInstance && task.hasAllocation() && !TaskStates.isEnded(task.getAllocation().getStatus())) {
      return Optional.of("previous allocation " + task.getAllocation().getId() + " is "
          + Events.allocationState(task.getAllocation().getStatus()) + ", not ended");
    }
    NodeRecord node = ws.node(p.getNode());
    if (node == null) {
      return Optional.of("node " + p.getNode() + " unknown");
    }
    if (node.getStatus() != NodeStatus.UP) {
      return Optional.of("node " + p.getNode() + " is " + node.getStatus());
    }
    if (!NodeStates.isEligible(node)) {
      return Optional.of("node " + p.getNode() + " is cordoned");
    }
    if (task.hasMigration() && task.getMigration().getFromNode().equals(node.getId())) {
      return Optional.of("node " + p.getNode() + " is the one the task migrates off");
    }
    Optional<String> shortOf = shortOf(node, ws.used(node.getId()), TaskStates.demand(task.getSpec()));
    if (shortOf.isPresent()) {
      return shortOf;
    }
    long generation = Migrations.nextGeneration(task);
    AllocationRecord allocation = AllocationRecord.newBuilder()
        .setId(task.getId() + "." + generation)
        .setGeneration(generation)
        .setNode(node.getId())
        .setStatus(AllocationStatus.ASSIGNED)
        .setPlacedAtMs(ws.timeMs())
        .build();
    TaskRecord scheduled;
    if (newInstance) {
      scheduled = task.toBuilder()
          .setAllocation(allocation)
          .setMigration(task.getMigration().toBuilder().setOld(task.getAllocation()).clearBlocked())
          .setNode(node.getId())
          .setMessage("migrating off " + task.getMigration().getFromNode() + ": new instance placed on "
              + node.getId() + "; the old one runs until it is ready")
          .setUpdatedAtMs(ws.timeMs())
          .setVersion(ws.index())
          .build();
    } else {
      scheduled = TaskStates.withAllocation(task, allocation)
          .clearMigration()
          .setNode(node.getId())
          .setStatus(TaskStatus.SCHEDULED)
          .setMessage("placed on " + node.getId())
          .setUpdatedAtMs(ws.timeMs())
          .setVersion(ws.index())
          .build();
    }
    ws.putTask(seq, scheduled);
    ws.emit(Events.of(scheduled, Events.allocation(AllocationStatus.ASSIGNED),
        "generation " + generation + " assigned to " + node.getId()));
    if (scheduled.getStatus() != task.getStatus()) {
      ws.emit(Events.of(scheduled, Events.task(TaskStatus.SCHEDULED), scheduled.getMessage()));
    }
    if (task.hasMigration() && !newInstance) {
      ws.emit(Events.of(scheduled, Events.TASK_MIGRATED, "moved off " + task.getMigration().getFromNode()
          + " to " + node.getId() + " (" + task.getMigration().getReason() + ")"));
    }
    return Optional.empty();
  }

  /** The first resource {@code node} lacks for {@code demand}, as a skip reason. */
  private static Optional<String> shortOf(NodeRecord node, NodeUsage used, NodeUsage demand) {
    CapacityRecord cap = node.getCapacity();
    long freeCpu = (long) cap.getCpuMillis() - used.cpuMillis();
    if (demand.cpuMillis() > freeCpu) {
      return Optional.of("does not fit " + node.getId() + ": cpu_millis " + demand.cpuMillis() + " > free " + freeCpu);
    }
    long freeMemory = cap.getMemoryMib() - used.memoryMib();
    if (demand.memoryMib() > freeMemory) {
      return Optional.of("does not fit " + node.getId() + ": memory_mib " + demand.memoryMib() + " > free " + freeMemory);
    }
    long freeGpus = (long) cap.getGpusCount() - used.gpus();
    if (demand.gpus() > freeGpus) {
      return Optional.of("does not fit " + node.getId() + ": gpus " + demand.gpus() + " > free " + freeGpus);
    }
    return Optional.empty();
  }
}
