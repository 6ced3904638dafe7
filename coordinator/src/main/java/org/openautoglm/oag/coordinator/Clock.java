package org.openautoglm.oag.coordinator;

/** Wall-clock source for leader-stamped times; tests pass a fake. Apply never reads a clock. */
@FunctionalInterface
public interface Clock {
  Clock SYSTEM = System::currentTimeMillis;

  long millis();
}
