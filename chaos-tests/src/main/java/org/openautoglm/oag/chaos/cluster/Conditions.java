package org.openautoglm.oag.chaos.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Bounded waits on a condition of the cluster, polled every 100 ms. */
public final class Conditions {
  private static final long POLL_MS = 100;

  private Conditions() {}

  /**
   * The first value {@code probe} yields within {@code within}; on timeout the exception names
   * {@code what} and carries {@code state} (what the cluster looked like then).
   */
  public static <T> T await(Duration within, String what, Supplier<Optional<T>> probe,
      Supplier<String> state) throws TimeoutException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> got = probe.get();
      if (got.isPresent()) {
        return got.get();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no " + what + " within " + within + ":\n" + state.get());
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted waiting for " + what);
      }
    }
  }
}
