package org.openautoglm.oag.coordinator.state;

/**
 * Told after each batch a {@link StateStore} applied is published. Called on the apply thread,
 * so it must be quick (hand work off) and must not throw; an exception is logged and ignored.
 */
@FunctionalInterface
public interface AppliedListener {
  void applied(AppliedChanges changes);
}
