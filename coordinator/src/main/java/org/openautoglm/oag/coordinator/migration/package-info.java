/**
 * Moving work on purpose, on the leader only: drains (a node's tasks migrate off by a
 * deadline). The decisions are pure ({@link org.openautoglm.oag.coordinator.migration.DrainPlanner});
 * the controller proposes them, and every step in flight is replicated state
 * ({@code NodeRecord.drain}, {@code TaskRecord.migration}), so a new leader goes on where the
 * old one stopped.
 */
package org.openautoglm.oag.coordinator.migration;
