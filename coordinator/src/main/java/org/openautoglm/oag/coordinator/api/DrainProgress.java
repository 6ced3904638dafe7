package org.openautoglm.oag.coordinator.api;

import java.util.List;
import org.openautoglm.oag.api.v1.DrainItem;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.coordinator.state.Migrations;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.DrainRecord;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * What a node's drain still waits for, read off the replicated records: one item per live
 * allocation on the node, each with a short phrase that completes "waiting for ...". A node
 * that is not draining waits for nothing, so its reply lists no items (only the last drain's
 * report, if any). Pure and thread-safe: no clock, no store.
 */
final class DrainProgress {

  private DrainProgress() {}

  /**
   * The DrainStatus reply for {@code node}.
   *
   * @param tasks the tasks with an allocation on the node: the current one, or the old
   *     instance of a make-before-break migration (the store's {@code tasksOnNode})
   */
  static DrainStatusReply of(NodeRecord node, List<TaskRecord> tasks) {
    DrainStatusReply.Builder reply = DrainStatusReply.newBuilder()
        .setNodeId(node.getId())
        .setDraining(node.hasDrain());
    if (node.hasLastDrain()) {
      reply.setLast(ApiMapper.toApi(node.getLastDrain()));
    }
    if (!node.hasDrain()) {
      return reply.build();
    }
    DrainRecord drain = node.getDrain();
    reply.setStartedAtMs(drain.getStartedAtMs())
        .setDeadlineMs(drain.getDeadlineMs())
        .setMigrated(drain.getMigrated());
    for (TaskRecord t : tasks) {
      for (AllocationRecord a : Migrations.liveAllocations(t)) {
        if (a.getNode().equals(node.getId())) {
          reply.addRemaining(DrainItem.newBuilder()
              .setTaskId(t.getId())
              .setAllocationId(a.getId())
              .setState(ApiMapper.toApi(a.getStatus()))
              .setWaitingFor(waitingFor(t, node.getId())));
        }
      }
    }
    return reply.build();
  }

  /** What moving {@code t}'s live allocation off {@code node} waits for now. */
  static String waitingFor(TaskRecord t, String node) {
    if (!t.hasMigration()) {
      return "its migration to begin";
    }
    MigrationRecord m = t.getMigration();
    if (!m.getMakeBeforeBreak() || m.getForced()) {
      return "its instance here to stop";
    }
    if (!m.hasOld()) {
      return "a node for its new instance" + (m.getBlocked().isEmpty() ? "" : ": " + m.getBlocked());
    }
    if (m.getOld().getNode().equals(node)) {
      return m.getHandedOverAtMs() == 0
          ? "its new instance on " + t.getAllocation().getNode() + " to be ready"
          : "its old instance here to stop";
    }
    return "its migration to finish";
  }
}
