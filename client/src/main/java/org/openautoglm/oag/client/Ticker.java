package org.openautoglm.oag.client;

import java.time.Duration;

/** Time source and waiting, so tests can run the retry loop on a fake clock. */
interface Ticker {
  long nanoTime();

  void sleep(Duration d) throws InterruptedException;

  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
  };
}
