/**
 * The supervisor, being built: allocations persisted before they start ({@link
 * org.openautoglm.oag.agent.supervisor.AllocationDir}), launched in their own session and
 * process group behind a wrapper that records the exit status ({@link
 * org.openautoglm.oag.agent.supervisor.ProcessLauncher}), and when to restart them ({@link
 * org.openautoglm.oag.agent.supervisor.RestartTracker}), tied to one allocation's desired
 * state by {@link org.openautoglm.oag.agent.supervisor.AllocationSupervisor}, stepped from
 * outside. The loop that steps supervisors and talks to the leader comes next.
 */
package org.openautoglm.oag.agent.supervisor;
