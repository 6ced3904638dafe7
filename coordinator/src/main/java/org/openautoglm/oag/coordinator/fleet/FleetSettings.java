package org.openautoglm.oag.coordinator.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * How the leader treats its agents.
 *
 * @param lease L: an ack keeps an agent's exclusive work alive until the acked heartbeat's send
 *     time + L. It must outlast a leader election plus the agents' reconnect, or a failover
 *     kills exclusive tasks.
 * @param heartbeat the interval agents are told to heartbeat at
 */
public record FleetSettings(Duration lease, Duration heartbeat) {
  public static final FleetSettings DEFAULTS = new FleetSettings(Duration.ofSeconds(5), Duration.ofMillis(500));

  public FleetSettings {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (lease.isNegative() || lease.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("lease and heartbeat must be positive");
    }
    if (heartbeat.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("heartbeat " + heartbeat + " must be shorter than the lease " + lease);
    }
  }
}
