/**
 * The supervisor, being built: allocations persisted before they start ({@link
 * org.openautoglm.oag.agent.supervisor.AllocationDir}), launched in their own session and
 * process group behind a wrapper that records the exit status ({@link
 * org.openautoglm.oag.agent.supervisor.ProcessLauncher}), and when to restart them ({@link
 * org.openautoglm.oag.agent.supervisor.RestartTracker}). The loop that ties these to
 * desired state and to the leader comes next.
 */
package org.openautoglm.oag.agent.supervisor;
