package org.openautoglm.oag.coordinator.fleet;

import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.openautoglm.oag.coordinator.state.FailoverSettings;
import org.openautoglm.oag.coordinator.state.StateStore;

/** The parts an agent session works with, wired once by {@link FleetController}. */
record FleetContext(RaftNode raft, Fleet fleet, TransitionBatcher transitions, PlacementLoop placer,
    LogRouter logs, LeaseAcks acks, FleetSettings settings) {

  /** The current store (a checkpoint install replaces it). */
  StateStore store() {
    return raft.store();
  }

  /** L, as replicated: what every ack promises. */
  long leaseMs() {
    return failover().leaseMs();
  }

  /** The replicated failover settings. */
  FailoverSettings failover() {
    return FailoverSettings.of(store().meta().getCluster().getFailover());
  }
}
