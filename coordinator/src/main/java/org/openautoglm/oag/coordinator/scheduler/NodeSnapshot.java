package org.openautoglm.oag.coordinator.scheduler;

import java.util.Map;
import java.util.Objects;

/**
 * One node as the scheduler sees it: what the replicated state says (status, eligibility,
 * capacity, labels, and what its live allocations use by their requests) and, from the
 * leader's memory, its latest host CPU (only to break near-ties). Immutable.
 *
 * @param liveCpuPercent host CPU of the last heartbeat (100 = all cores busy); negative when
 *     unknown
 */
public record NodeSnapshot(String id, boolean up, boolean eligible, Resources capacity,
    Resources used, Map<String, String> labels, double liveCpuPercent) {

  public NodeSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(used, "used");
    labels = Map.copyOf(labels);
  }

  /** What is left by replicated accounting (may be negative when over-committed). */
  public Resources free() {
    return capacity.minus(used);
  }
}
