/**
 * Moving work on purpose, on the leader only: drains (a node's tasks migrate off by a
 * deadline) and the rebalancer (movable tasks migrate from the busiest node to the least busy
 * one). The decisions are pure ({@link org.openautoglm.oag.coordinator.migration.DrainPlanner},
 * {@link org.openautoglm.oag.coordinator.migration.RebalancePlanner});
 * the controller proposes them, and every step in flight is replicated state
 * ({@code NodeRecord.drain}, {@code TaskRecord.migration}), so a new leader goes on where the
 * old one stopped.
 */
package org.openautoglm.oag.coordinator.migration;
