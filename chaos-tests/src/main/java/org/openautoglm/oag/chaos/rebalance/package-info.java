/**
 * Rebalance scenarios on a cluster with agents: a {@link
 * org.openautoglm.oag.chaos.rebalance.MovableWorkload} of movable tasks that tick to the
 * harness's sink, a {@link org.openautoglm.oag.chaos.rebalance.RebalanceWatch} that reads where
 * they run and whether they are being moved, the {@link
 * org.openautoglm.oag.chaos.rebalance.Spread} of the work over the nodes as the rebalancer weighs
 * it, and the rebalancer's {@link org.openautoglm.oag.chaos.rebalance.Move}s from the event log.
 */
package org.openautoglm.oag.chaos.rebalance;
