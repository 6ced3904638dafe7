package org.openautoglm.oag.bench.fleet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Ends a simulated fleet so that every node ends DOWN, without tripping the leader's storm
 * guard: the leader declares nobody down while more than {@code storm_percent} of its UP nodes
 * (and more than one) are silent at once, so stopping a fleet that is most of the cluster all
 * at once would leave its nodes UP, silent, and the guard on, blocking every verdict, real
 * nodes' included, until they came back.
 *
 * <p>So agents stop in waves: a wave is as large as the guard allows (the UP nodes, ours still
 * alive or not yet declared down included, times the percentage, less the nodes already
 * silent), counting every stopped node not yet declared down as silent from the moment it
 * stops; the next wave starts as soon as verdicts have made room (the nodes of one wave go
 * DOWN over an interval or so, their last heartbeats being spread, so many small waves follow
 * each big one). With only simulated nodes the fleet halves every TTL or so: about log2(agents)
 * TTLs in all.
 *
 * <p>Runs on the caller's thread; bounded by {@code deadlineNanos}, after which the agents
 * still running are closed at once (and reported as not retired).
 */
final class Retirement {
  /** How it went: agents stopped in waves, those seen DOWN, waves, and why it stopped early. */
  record Result(int stopped, int down, int waves, String incomplete) {}

  /** Waves follow each other as verdicts trickle in: one progress line per second at most. */
  static final long PROGRESS_NANOS = 1_000_000_000L;

  private final SimAgent[] agents;
  private final DownWatch watch;
  private final LongSupplier clock;
  private final Consumer<String> progress;

  Retirement(SimAgent[] agents, DownWatch watch, LongSupplier clock, Consumer<String> progress) {
    this.agents = agents;
    this.watch = watch;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * @param otherUp UP nodes that are not this run's
   * @param otherSilent of those, how many the leader may already count as silent
   * @param stormPercent the replicated storm guard percentage
   */
  Result run(int otherUp, int otherSilent, int stormPercent, long deadlineNanos) throws InterruptedException {
    AtomicIntegerArray awaiting = new AtomicIntegerArray(agents.length);   // 1: stopped, not DOWN yet
    AtomicInteger pending = new AtomicInteger();
    watch.onDown(k -> {
      if (awaiting.compareAndSet(k, 1, 0)) {
        pending.decrementAndGet();
      }
    });
    int next = agents.length - 1;   // agents stop from the last one down
    int waves = 0;
    long lastProgress = clock.getAsLong() - PROGRESS_NANOS;
    String incomplete = null;
    while (true) {
      int live = next + 1;
      int stopped = pending.get();
      if (live == 0 && stopped == 0) {
        break;
      }
      if (clock.getAsLong() - deadlineNanos >= 0) {
        incomplete = "retire timeout: " + live + " agents still running, " + stopped + " stopped and not DOWN yet";
        break;
      }
      if (watch.ended()) {
        incomplete = "the event stream ended: DOWN verdicts can no longer be seen";
        break;
      }
      int room = room(otherUp + live + stopped, otherSilent + stopped, stormPercent);
      if (live > 0 && room > 0) {
        int wave = Math.min(room, live);
        for (int i = 0; i < wave; i++) {
          awaiting.set(next, 1);
          pending.incrementAndGet();
          agents[next--].close();
        }
        waves++;
        if (clock.getAsLong() - lastProgress >= PROGRESS_NANOS || next < 0) {
          lastProgress = clock.getAsLong();
          progress.accept("retiring: wave " + waves + " stops " + wave + ", " + (next + 1) + " left running, "
              + pending.get() + " stopped and not DOWN yet");
        }
      } else if (live > 0 && stopped == 0) {
        incomplete = otherSilent + " silent nodes that are not this run's leave no room under the storm guard";
        break;
      }
      watch.awaitVerdict(Math.min(deadlineNanos - clock.getAsLong(), 250_000_000L));
    }
    watch.onDown(k -> { });
    int stopped = agents.length - 1 - next;
    return new Result(stopped, stopped - pending.get(), waves, incomplete);
  }

  /**
   * How many more nodes may go silent among {@code up} UP nodes of which {@code silent} are (or
   * will be) silent already, without the storm guard going on: it goes on when silent nodes
   * exceed {@code max(1, up * percent / 100)}.
   */
  static int room(int up, int silent, int stormPercent) {
    long allowed = Math.max(1, (long) up * stormPercent / 100);
    return (int) Math.max(0, allowed - silent);
  }
}
