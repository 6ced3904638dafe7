package org.openautoglm.oag.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the client sleeps: backoff costs no real time in tests. */
final class FakeTicker implements Ticker {
  private long now = 1_000_000_000L;
  final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    now += d.toNanos();
  }
}
