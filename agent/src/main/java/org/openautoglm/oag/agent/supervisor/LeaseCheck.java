package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;

/**
 * The fencing lease of an exclusive allocation as its supervisor sees it: whether it may
 * launch now, handing each launched group to the host's keeper, and whether the keeper killed
 * one. Available allocations use {@link #NONE}. The implementation for exclusive allocations
 * is {@code lease.AllocationLease}, which the agent's session renews from the leader's acks.
 *
 * <p>Called from the supervisor's stepping thread only; implementations may be renewed from
 * another thread.
 */
public interface LeaseCheck {

  /** No lease: always valid, nothing guarded, never lapsed. For available allocations. */
  LeaseCheck NONE = new LeaseCheck() {
    @Override
    public boolean valid(long nowNanos) {
      return true;
    }

    @Override
    public void guard(long pgid, long startTicks) {}

    @Override
    public void release() {}

    @Override
    public boolean lapsed(long pgid, long startTicks) {
      return false;
    }
  };

  /** Whether the lease holds at {@code nowNanos} (System.nanoTime()), so a launch may happen. */
  boolean valid(long nowNanos);

  /**
   * Puts the group just launched or adopted under the keeper's watch: from now on it is killed
   * when the lease lapses. The supervisor kills a group it could not guard.
   */
  void guard(long pgid, long startTicks) throws IOException;

  /** The allocation's process ended for good: the keeper need not watch anything any more. */
  void release() throws IOException;

  /** Whether the keeper killed the group with this leader because the lease lapsed. */
  boolean lapsed(long pgid, long startTicks);
}
