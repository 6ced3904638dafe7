/**
 * Failover scenarios on a cluster with agents: a {@link
 * org.openautoglm.oag.chaos.failover.ReporterWorkload} of exclusive and available tasks that
 * tick to the harness's sink, a {@link org.openautoglm.oag.chaos.failover.FleetWatch} that reads
 * where they run, {@link org.openautoglm.oag.chaos.failover.FailoverRound}s of faults on one agent
 * with what each measured ({@link org.openautoglm.oag.chaos.failover.RoundResult}), and the
 * fencing check on the sink's record ({@link org.openautoglm.oag.chaos.failover.OverlapCheck}).
 */
package org.openautoglm.oag.chaos.failover;
