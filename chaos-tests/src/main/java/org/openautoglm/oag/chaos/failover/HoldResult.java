package org.openautoglm.oag.chaos.failover;

import java.util.List;

/**
 * What {@link FailoverRound#hold} saw while a fault that must not cause a failover was held.
 *
 * @param target what the fault hit, e.g. {@code a1|c2}
 * @param changes per task that moved or stopped ticking, the first such change, with when
 * @param victimDowns {@code node.down} events for the agent from the fault until steady again
 * @param lostAllocations {@code allocation.lost} events from the fault until steady again
 */
public record HoldResult(String fault, String target, long holdMs, List<String> changes, int victimDowns,
    int lostAllocations) {
  public HoldResult {
    changes = List.copyOf(changes);
  }
}
