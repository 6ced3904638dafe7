package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SetNodeEligibility;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;

/**
 * SetNodeEligibility: cordons or uncordons a registered node. Only eligibility changes; the
 * node's status, drain and allocations stay as they are, so nothing already there moves. The
 * result carries the node; setting what is already set changes nothing and emits no event.
 */
final class SetNodeEligibilityApplier implements CommandApplier<SetNodeEligibility> {

  @Override
  public Optional<Violation> validate(SetNodeEligibility body) {
    Optional<Violation> bad = RegisterNodeApplier.checkNodeId("node_id", body.getNodeId());
    if (bad.isPresent()) {
      return bad;
    }
    if (body.getEligibility() != NodeEligibility.ELIGIBLE && body.getEligibility() != NodeEligibility.CORDONED) {
      return Violation.of("eligibility", "must be ELIGIBLE or CORDONED");
    }
    return Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, SetNodeEligibility body) {
    NodeRecord old = ws.node(body.getNodeId());
    if (old == null) {
      return Results.notFound("node " + body.getNodeId() + " not found");
    }
    boolean cordon = body.getEligibility() == NodeEligibility.CORDONED;
    if (NodeStates.isEligible(old) != cordon) {
      return Results.ok(old);
    }
    NodeRecord node = old.toBuilder()
        .setEligibility(body.getEligibility())
        .setUpdatedAtMs(ws.timeMs())
        .setVersion(ws.index())
        .build();
    ws.putNode(node);
    ws.emit(Events.ofNode(node.getId(), cordon ? Events.NODE_CORDONED : Events.NODE_UNCORDONED,
        cordon ? "cordoned: no new work is placed here" : "uncordoned: eligible for new work"));
    return Results.ok(node);
  }
}
