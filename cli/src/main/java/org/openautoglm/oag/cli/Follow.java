package org.openautoglm.oag.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.client.Subscription;

/**
 * Waits for a stream ({@code --follow}) to end, and makes Ctrl-C end it cleanly: SIGINT
 * starts the JVM's shutdown, whose hook closes the subscription and waits (briefly) until
 * the command has flushed what it printed, so the output ends on a whole chunk or line and
 * no error is reported. An interrupt of the waiting thread ends it the same way.
 */
final class Follow {
  private static final long FLUSH_WAIT_MS = 2_000;

  private Follow() {}

  /** Blocks until {@code s} ends; rethrows what ended it, unless Ctrl-C or close did. */
  static void await(Subscription s) {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      s.close();
      try {
        done.await(FLUSH_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "oag-ctrl-c");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      s.await();
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: nothing to remove
      }
    }
  }
}
