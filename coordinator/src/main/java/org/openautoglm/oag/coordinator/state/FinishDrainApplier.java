package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.FinishDrain;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.NodeRecord;

/**
 * FinishDrain: a drain whose node has nothing live left ends, with its report: outcome
 * {@code complete}, or {@code deadline} when tasks had to be stopped there at the deadline.
 * Checked again at apply: while any allocation on the node is live (the current one of a
 * task, or a migration's old one) the drain goes on and the command is refused with
 * FAILED_PRECONDITION naming what is left. The result carries the node.
 */
final class FinishDrainApplier implements CommandApplier<FinishDrain> {

  @Override
  public Optional<Violation> validate(FinishDrain body) {
    return RegisterNodeApplier.checkNodeId("node_id", body.getNodeId());
  }

  @Override
  public CommandResult apply(WorkingSet ws, FinishDrain body) {
    NodeRecord old = ws.node(body.getNodeId());
    if (old == null) {
      return Results.notFound("node " + body.getNodeId() + " not found");
    }
    if (!old.hasDrain()) {
      return Results.ok(old);
    }
    long live = ws.used(old.getId()).tasks();
    if (live > 0) {
      return Results.failedPrecondition("node " + old.getId() + " still has " + live + " live allocations");
    }
    String outcome = old.getDrain().getStoppedAtDeadlineCount() > 0 ? "deadline" : "complete";
    NodeRecord node = DrainNodeApplier.ended(ws, old, outcome);
    ws.emit(Events.ofNode(node.getId(), Events.NODE_DRAINED, "drained (" + outcome + "): "
        + node.getLastDrain().getMigrated() + " migrations, "
        + node.getLastDrain().getStoppedAtDeadlineCount() + " tasks stopped at the deadline"));
    return Results.ok(node);
  }
}
