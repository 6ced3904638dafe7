package org.openautoglm.oag.coordinator.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * How this leader talks to its agents. The lease L is not here: it is a replicated setting
 * (FailoverSettings), so every leader acks with the same one.
 *
 * @param heartbeat the interval agents are told to heartbeat at
 */
public record FleetSettings(Duration heartbeat) {
  public static final FleetSettings DEFAULTS = new FleetSettings(Duration.ofMillis(500));

  public FleetSettings {
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive");
    }
  }
}
