package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.DrainNode;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.DrainRecord;
import org.openautoglm.oag.state.v1.DrainReport;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;

/**
 * DrainNode: starts draining a registered node, or cancels its drain.
 *
 * <ul>
 *   <li>Start: the node is cordoned (no new work) and gets a drain record with the deadline;
 *       the leader's drain controller then migrates its tasks off. Draining a node that
 *       already drains only moves the deadline.
 *   <li>Cancel: the drain ends with the report {@code cancelled}; the node stays cordoned
 *       (uncordon it on purpose) and migrations already begun go on.
 * </ul>
 *
 * The result carries the node.
 */
final class DrainNodeApplier implements CommandApplier<DrainNode> {

  @Override
  public Optional<Violation> validate(DrainNode body) {
    Optional<Violation> bad = RegisterNodeApplier.checkNodeId("node_id", body.getNodeId());
    if (bad.isPresent()) {
      return bad;
    }
    if (body.getDeadlineMs() < 0) {
      return Violation.of("deadline_ms", body.getDeadlineMs() + " is negative");
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, DrainNode body) {
    NodeRecord old = ws.node(body.getNodeId());
    if (old == null) {
      return Results.notFound("node " + body.getNodeId() + " not found");
    }
    if (body.getCancel()) {
      if (!old.hasDrain()) {
        return Results.ok(old);
      }
      NodeRecord node = ended(ws, old, "cancelled");
      ws.emit(Events.ofNode(node.getId(), Events.NODE_DRAINED, "drain cancelled; still cordoned"));
      return Results.ok(node);
    }
    DrainRecord drain = old.hasDrain()
        ? old.getDrain().toBuilder().setDeadlineMs(body.getDeadlineMs()).build()
        : DrainRecord.newBuilder().setStartedAtMs(ws.timeMs()).setDeadlineMs(body.getDeadlineMs()).build();
    if (drain.equals(old.getDrain()) && !NodeStates.isEligible(old)) {
      return Results.ok(old);
    }
    NodeRecord node = old.toBuilder()
        .setEligibility(NodeEligibility.CORDONED)
        .setDrain(drain)
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putNode(node);
    ws.emit(Events.ofNode(node.getId(), Events.NODE_DRAINING, "draining: cordoned, its tasks migrate off"
        + (drain.getDeadlineMs() == 0 ? "" : " by " + java.time.Instant.ofEpochMilli(drain.getDeadlineMs()))));
    return Results.ok(node);
  }

  /** {@code node} with its drain ended as {@code outcome}, the report kept; stored. */
  static NodeRecord ended(WorkingSet ws, NodeRecord node, String outcome) {
    DrainRecord d = node.getDrain();
    NodeRecord done = node.toBuilder()
        .clearDrain()
        .setLastDrain(DrainReport.newBuilder()
            .setStartedAtMs(d.getStartedAtMs())
            .setEndedAtMs(ws.timeMs())
            .setDeadlineMs(d.getDeadlineMs())
            .setOutcome(outcome)
            .setMigrated(d.getMigrated())
            .addAllStoppedAtDeadline(d.getStoppedAtDeadlineList()))
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putNode(done);
    return done;
  }
}
