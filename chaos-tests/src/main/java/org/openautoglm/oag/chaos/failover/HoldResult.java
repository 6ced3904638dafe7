package org.openautoglm.oag.chaos.failover;

import java.util.Map;

/**
 * What {@link FailoverRound#hold} saw while a fault that must not cause a failover was held.
 *
 * @param target what the fault hit, e.g. {@code a1|c2}
 * @param changes by task id, for each task that moved or stopped ticking, the first such change
 *     and when
 * @param victimDowns {@code node.down} events for the agent from the fault until steady again
 * @param lostAllocations {@code allocation.lost} events from the fault until steady again
 */
public record HoldResult(String fault, String target, long holdMs, Map<String, String> changes, int victimDowns,
    int lostAllocations) {
  public HoldResult {
    changes = Map.copyOf(changes);
  }
}
