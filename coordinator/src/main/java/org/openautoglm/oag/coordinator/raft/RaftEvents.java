package org.openautoglm.oag.coordinator.raft;

/** What the Raft layer tells the rest of the node. Called on Ratis threads; must not block. */
public interface RaftEvents {
  RaftEvents NONE = new RaftEvents() {};

  default void applied(long index, int commands, long applyNanos) {}

  default void snapshotInstalled(long index) {}

  default void leaderChanged(String leaderId) {}

  /** This node's first entry of its term has been applied: leader-only services may start. */
  default void leaderReady() {}

  /** Tells {@code first}, then {@code second}, everything. */
  static RaftEvents both(RaftEvents first, RaftEvents second) {
    return new RaftEvents() {
      @Override
      public void applied(long index, int commands, long applyNanos) {
        first.applied(index, commands, applyNanos);
        second.applied(index, commands, applyNanos);
      }

      @Override
      public void snapshotInstalled(long index) {
        first.snapshotInstalled(index);
        second.snapshotInstalled(index);
      }

      @Override
      public void leaderChanged(String leaderId) {
        first.leaderChanged(leaderId);
        second.leaderChanged(leaderId);
      }

      @Override
      public void leaderReady() {
        first.leaderReady();
        second.leaderReady();
      }
    };
  }
}
