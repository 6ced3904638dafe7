package org.openautoglm.oag.coordinator.scheduler;

import java.util.List;
import java.util.Map;

/**
 * What one scheduling pass decided: placements in the order they were made, and for every
 * task that fits nowhere, a reason a person can act on. Immutable.
 */
public record Plan(List<Placement> placements, Map<String, String> waiting) {

  public record Placement(String taskId, String node) {}

  public Plan {
    placements = List.copyOf(placements);
    waiting = Map.copyOf(waiting);
  }
}
