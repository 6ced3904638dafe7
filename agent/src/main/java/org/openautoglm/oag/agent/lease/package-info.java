/**
 * The host side of fencing for exclusive allocations: lease files under {@code DATA/leases}
 * ({@link org.openautoglm.oag.agent.lease.Leases}), the lease one supervisor checks and the
 * session renews ({@link org.openautoglm.oag.agent.lease.AllocationLease}), and the keeper, a
 * detached JVM that SIGKILLs a group whose lease lapsed even when the agent is dead or frozen
 * ({@link org.openautoglm.oag.agent.lease.Keeper}, started by {@link
 * org.openautoglm.oag.agent.lease.KeeperProcess}).
 *
 * <p>Clock: deadlines are {@link java.lang.System#nanoTime()} values. On Linux, HotSpot reads
 * it with {@code clock_gettime(CLOCK_MONOTONIC)}, one clock for the whole host (not per
 * process), so the agent's JVM and the keeper's compare the same numbers; a wall-clock jump
 * changes nothing, only the clock's rate matters. {@code MonotonicClockTest} checks this with
 * a second JVM and against {@code /proc/uptime}.
 */
package org.openautoglm.oag.agent.lease;
