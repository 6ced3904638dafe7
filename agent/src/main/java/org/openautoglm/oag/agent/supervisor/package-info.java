/**
 * The supervisor: allocations persisted before they start ({@link
 * org.openautoglm.oag.agent.supervisor.AllocationDir}), launched in their own session and
 * process group behind a wrapper that records the exit status ({@link
 * org.openautoglm.oag.agent.supervisor.ProcessLauncher}), when to restart them ({@link
 * org.openautoglm.oag.agent.supervisor.RestartTracker}), their limits ({@link
 * org.openautoglm.oag.agent.supervisor.Thresholds}) and output ({@link
 * org.openautoglm.oag.agent.supervisor.LogRotation}, {@link
 * org.openautoglm.oag.agent.supervisor.LogTail}), tied to one allocation's desired state by
 * {@link org.openautoglm.oag.agent.supervisor.AllocationSupervisor}, stepped from outside.
 *
 * <p>After an agent restart: {@link org.openautoglm.oag.agent.supervisor.AllocationDir#list}
 * names every persisted allocation, {@link
 * org.openautoglm.oag.agent.supervisor.AllocationSupervisor#adopt} re-adopts each, and {@link
 * org.openautoglm.oag.agent.supervisor.Orphans#find} (given the adopted groups) names the
 * processes left over, for the caller to kill. Exclusive allocations are fenced through a
 * {@link org.openautoglm.oag.agent.supervisor.LeaseCheck} (package {@code lease}).
 */
package org.openautoglm.oag.agent.supervisor;
