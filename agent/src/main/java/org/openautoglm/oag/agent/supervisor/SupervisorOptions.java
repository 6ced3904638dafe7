package org.openautoglm.oag.agent.supervisor;

import java.util.Objects;
import org.openautoglm.oag.agent.host.GroupSampler;

/**
 * What an {@link AllocationSupervisor} uses besides its allocation, policy and thresholds.
 * Immutable; change one part with the {@code with...} methods.
 *
 * @param lease the allocation's fencing lease; {@link LeaseCheck#NONE} for an available one
 * @param sampler measures the process group for thresholds and {@link
 *     AllocationSupervisor#metrics()}; share one among all of an agent's supervisors (it scans
 *     {@code /proc} once for all)
 * @param logRotation how the allocation's output files are rotated
 */
public record SupervisorOptions(LeaseCheck lease, GroupSampler sampler, LogRotation logRotation) {

  public SupervisorOptions {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(logRotation, "logRotation");
  }

  /** No lease, a sampler of its own over this host's /proc, default log rotation. */
  public static SupervisorOptions defaults() {
    return new SupervisorOptions(LeaseCheck.NONE, new GroupSampler(), LogRotation.DEFAULT);
  }

  public SupervisorOptions withLease(LeaseCheck lease) {
    return new SupervisorOptions(lease, sampler, logRotation);
  }

  public SupervisorOptions withSampler(GroupSampler sampler) {
    return new SupervisorOptions(lease, sampler, logRotation);
  }

  public SupervisorOptions withLogRotation(LogRotation logRotation) {
    return new SupervisorOptions(lease, sampler, logRotation);
  }
}
