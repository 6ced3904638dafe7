package org.openautoglm.oag.agent.session;

/**
 * Told each time the agent's lease moves forward. The lease is how long this host may keep
 * running exclusive work without hearing from the leader: it runs to the send time of the
 * heartbeat an ack echoes plus the ack's {@code lease_ms}, on this host's monotonic clock.
 *
 * <p>Contract: called on the session's thread, at most once per accepted ack, only with a
 * deadline later than every one before it (the lease never shrinks). Implementations must
 * return quickly and must not throw; a lease keeper writes its lease files from here.
 */
@FunctionalInterface
public interface LeaseListener {
  /** A listener that does nothing. */
  LeaseListener NONE = deadlineNanos -> { };

  /** The lease now runs until {@code deadlineNanos} on {@link System#nanoTime()}'s clock. */
  void renewed(long deadlineNanos);
}
