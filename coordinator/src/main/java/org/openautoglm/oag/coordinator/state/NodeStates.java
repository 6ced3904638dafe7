package org.openautoglm.oag.coordinator.state;

import org.openautoglm.oag.state.v1.NodeEligibility;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

/**
 * Facts about a node's independent fields: status (UP / DOWN, from its heartbeats),
 * eligibility (ELIGIBLE / CORDONED, from an operator) and drain (none, or in progress).
 */
public final class NodeStates {

  private NodeStates() {}

  /** Not cordoned; a record from before eligibility existed reads as eligible. */
  public static boolean isEligible(NodeRecord node) {
    return node.getEligibility() != NodeEligibility.CORDONED;
  }

  /** UP and eligible: the scheduler may place new work there. */
  public static boolean acceptsWork(NodeRecord node) {
    return node.getStatus() == NodeStatus.UP && isEligible(node);
  }

  public static boolean isDraining(NodeRecord node) {
    return node.hasDrain();
  }
}
