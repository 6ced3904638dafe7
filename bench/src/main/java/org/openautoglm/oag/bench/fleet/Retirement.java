package org.openautoglm.oag.bench.fleet;

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
 * stops; the next wave starts when verdicts have made room. With only simulated nodes each
 * wave is half the one before, so it takes about log2(agents) waves of a TTL each.
 *
 * <p>Runs on the caller's thread; bounded by {@code deadlineNanos}, after which the agents
 * still running are closed at once (and reported as not retired).
 */
final class Retirement {
  /** How it went: agents stopped in waves, those seen DOWN, waves, and why it stopped early. */
  record Result(int stopped, int down, int waves, String incomplete) {}

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
    int next = agents.length - 1;   // agents stop from the last one down
    int[] downsBefore = new int[agents.length];
    int waves = 0;
    String incomplete = null;
    while (true) {
      int live = next + 1;
      int pending = 0;
      for (int k = next + 1; k < agents.length; k++) {
        if (watch.downs(k) == downsBefore[k]) {
          pending++;
        }
      }
      if (live == 0 && pending == 0) {
        break;
      }
      if (clock.getAsLong() - deadlineNanos >= 0) {
        incomplete = "retire timeout: " + live + " agents still running, " + pending + " stopped and not DOWN yet";
        break;
      }
      if (watch.ended()) {
        incomplete = "the event stream ended: DOWN verdicts can no longer be seen";
        break;
      }
      int room = room(otherUp + live + pending, otherSilent + pending, stormPercent);
      if (live > 0 && room > 0) {
        int wave = Math.min(room, live);
        for (int i = 0; i < wave; i++) {
          downsBefore[next] = watch.downs(next);
          agents[next--].close();
        }
        waves++;
        progress.accept("retiring: wave " + waves + " stops " + wave + ", " + (next + 1) + " left running");
      } else if (live > 0 && pending == 0) {
        incomplete = otherSilent + " silent nodes that are not this run's leave no room under the storm guard";
        break;
      }
      watch.awaitVerdict(Math.min(deadlineNanos - clock.getAsLong(), 250_000_000L));
    }
    int stopped = agents.length - 1 - next;
    int down = 0;
    for (int k = next + 1; k < agents.length; k++) {
      if (watch.downs(k) > downsBefore[k]) {
        down++;
      }
    }
    return new Result(stopped, down, waves, incomplete);
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
