/**
 * Drains on a cluster with agents: a {@link org.openautoglm.oag.chaos.drain.DrainRound} drains
 * the agent that runs a {@link org.openautoglm.oag.chaos.failover.ReporterWorkload} (exclusive
 * tasks move break-before-make, readiness-gated available ones make-before-break), optionally
 * with a fault during it, and measures ({@link org.openautoglm.oag.chaos.drain.DrainResult})
 * when the drain ended, when each task ran elsewhere and, from every tick kept by {@link
 * org.openautoglm.oag.chaos.drain.TickGaps}, how long each task went without ticking.
 */
package org.openautoglm.oag.chaos.drain;
