package org.openautoglm.oag.coordinator.state;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one applied batch may have changed, for those who react to it.
 *
 * @param index the applied log index
 * @param nodes nodes whose desired set may have changed (the old and new node of every
 *     changed task, every registered or changed node), sorted
 * @param placementMayHelp a task became PENDING, an allocation ended (freeing capacity) or a
 *     node registered or changed: a pending task may now be placed
 */
public record AppliedChanges(long index, Set<String> nodes, boolean placementMayHelp) {
  public AppliedChanges {
    nodes = Collections.unmodifiableSortedSet(new TreeSet<>(nodes));
  }
}
