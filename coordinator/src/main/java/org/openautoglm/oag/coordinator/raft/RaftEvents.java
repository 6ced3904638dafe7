package org.openautoglm.oag.coordinator.raft;

/** What the Raft layer tells the rest of the node. Called on Ratis threads; must not block. */
public interface RaftEvents {
  RaftEvents NONE = new RaftEvents() {};

  default void applied(long index, int commands, long applyNanos) {}

  default void snapshotInstalled(long index) {}

  default void leaderChanged(String leaderId) {}

  /** This node's first entry of its term has been applied: leader-only services may start. */
  default void leaderReady() {}
}
