package org.openautoglm.oag.coordinator.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A pending task as the scheduler sees it. Immutable.
 *
 * @param order FIFO position within a priority (the task's sequence number)
 * @param avoid nodes this task must not be placed on (it failed there, or migrates off it)
 * @param prefer the node to take whenever it is feasible (where the rebalancer moves the task);
 *     empty: none
 */
public record TaskDemand(String id, long order, int priority, Resources request,
    List<Constraint> constraints, Strategy strategy, Set<String> avoid, String prefer) {

  /** Where among the nodes that fit a task goes. */
  public enum Strategy {
    /** The fullest node that fits: keeps whole nodes free for large tasks. */
    BINPACK,
    /** The emptiest node: spreads load and failure. */
    SPREAD
  }

  public TaskDemand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(strategy, "strategy");
    constraints = List.copyOf(constraints);
    avoid = Set.copyOf(avoid);
    Objects.requireNonNull(prefer, "prefer");
  }

  /** A task with no preferred node. */
  public TaskDemand(String id, long order, int priority, Resources request, List<Constraint> constraints,
      Strategy strategy, Set<String> avoid) {
    this(id, order, priority, request, constraints, strategy, avoid, "");
  }
}
