package org.openautoglm.oag.coordinator.leader;

/**
 * A service that runs only on the leader (placement, agent sessions, later failover). Started
 * once this node leads and has applied its term's first entry, so it sees every earlier
 * decision; stopped when leadership goes. Calls come from one thread, in order.
 */
public interface LeaderService {

  /** This node leads in {@code term} and is ready to propose. */
  void onLeaderReady(long term);

  /** This node no longer leads (or its term changed): stop acting for it. */
  void onStepDown();
}
