package org.openautoglm.oag.agent.lease;

import java.io.IOException;
import java.util.Objects;
import org.openautoglm.oag.agent.supervisor.LeaseCheck;

/**
 * The lease of one exclusive allocation, in memory and in its lease file: the agent's session
 * {@link #renew}s it from the leader's acks, its {@link
 * org.openautoglm.oag.agent.supervisor.AllocationSupervisor} asks it before every launch and
 * hands it each launched group, and the keeper kills that group if the file's deadline
 * passes.
 *
 * <p>The file is written only while a group is guarded: a renewal before the first launch
 * stays in memory. After an agent restart the lease starts ungranted; adopting a group then
 * leaves the previous agent's file (and its deadline) in place until the first renewal.
 * Deadlines only move forward, so an ack that arrives late cannot shorten the lease.
 *
 * <p>Thread-safe: renewed from the session's thread, checked from the supervisor's.
 */
public final class AllocationLease implements LeaseCheck {
  private final Leases leases;
  private final String allocationId;
  private boolean granted;
  private long deadlineNanos;
  private long pgid = -1;
  private long startTicks;

  public AllocationLease(Leases leases, String allocationId) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.allocationId = Objects.requireNonNull(allocationId, "allocationId");
  }

  /**
   * Extends the lease to {@code deadlineNanos} ({@link System#nanoTime()}, i.e. the send time
   * of the heartbeat the ack echoes plus L) and, while a group is guarded, rewrites its file.
   * An earlier deadline than the current one is ignored.
   */
  public synchronized void renew(long deadlineNanos) throws IOException {
    if (granted && deadlineNanos - this.deadlineNanos <= 0) {
      return;
    }
    granted = true;
    this.deadlineNanos = deadlineNanos;
    if (pgid > 0) {
      leases.renew(allocationId, pgid, startTicks, deadlineNanos);
    }
  }

  @Override
  public synchronized boolean valid(long nowNanos) {
    return granted && nowNanos - deadlineNanos < 0;
  }

  @Override
  public synchronized void guard(long pgid, long startTicks) throws IOException {
    this.pgid = pgid;
    this.startTicks = startTicks;
    if (granted) {
      leases.renew(allocationId, pgid, startTicks, deadlineNanos);
    }
  }

  @Override
  public synchronized void release() throws IOException {
    pgid = -1;
    leases.remove(allocationId);
  }

  @Override
  public boolean lapsed(long pgid, long startTicks) {
    return leases.killed(allocationId)
        .map(m -> m.pgid() == pgid && m.startTicks() == startTicks)
        .orElse(false);
  }

  public String allocationId() {
    return allocationId;
  }
}
