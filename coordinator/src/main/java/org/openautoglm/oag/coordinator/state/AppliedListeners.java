package org.openautoglm.oag.coordinator.state;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link AppliedListener}s of a store; registered from any thread, told on the apply thread. */
final class AppliedListeners {
  private static final Logger LOG = LoggerFactory.getLogger(AppliedListeners.class);

  private final List<AppliedListener> listeners = new CopyOnWriteArrayList<>();

  void add(AppliedListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(AppliedListener listener) {
    listeners.remove(listener);
  }

  /** Tells every listener, in registration order; one that throws is logged and skipped. */
  void tell(AppliedChanges changes) {
    for (AppliedListener listener : listeners) {
      try {
        listener.applied(changes);
      } catch (RuntimeException e) {
        LOG.warn("event=applied_listener_failed index={} listener={}", changes.index(), listener, e);
      }
    }
  }
}
