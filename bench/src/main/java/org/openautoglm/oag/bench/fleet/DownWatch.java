package org.openautoglm.oag.bench.fleet;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.EventQuery;
import org.openautoglm.oag.client.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the leader's DOWN verdicts on this run's nodes from the replicated event log ({@code
 * node.down} events, followed from the leader's applied index when the run starts) and judges
 * each against the simulator's own sends: a verdict on a node whose agent never went as long as
 * the TTL without sending (its longest gap since the previous verdict, the one still open when
 * the event arrives included) is <b>false</b>: the agent kept talking and the leader did not
 * hear, or did not count it. Any other verdict is <b>explained</b> by the simulator (late
 * sends, or no session at the time).
 *
 * <p>The gap still open when the event arrives also covers the time the verdict took to be
 * committed and delivered, so a borderline verdict leans towards "explained", never "false".
 * Only verdicts that arrive while measuring count; later ones (the nodes retiring at the end)
 * are only passed on, to {@link #onDown}.
 *
 * <p>Threading: events arrive on the subscription's thread; the rest is thread-safe.
 */
final class DownWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownWatch.class);
  static final String NODE_DOWN = "node.down";

  private final String nodePrefix;
  private final SimAgent[] agents;
  private final long ttlNanos;
  private final LongSupplier clock;
  private volatile java.util.function.IntConsumer onDown = k -> { };
  private boolean measuring = true;           // guarded by this
  private long total;                         // guarded by this
  private long falseDowns;                    // guarded by this
  private long explained;                     // guarded by this
  private long withoutSession;                // guarded by this
  private final Subscription events;

  DownWatch(CoordinatorClient client, long sinceIndex, String nodePrefix, SimAgent[] agents, long ttlNanos,
      LongSupplier clock) {
    this.nodePrefix = nodePrefix + "-";
    this.agents = agents;
    this.ttlNanos = ttlNanos;
    this.clock = clock;
    this.events = client.events(EventQuery.since(sinceIndex).following(), this::onEvent);
  }

  private void onEvent(Event e) {
    if (!NODE_DOWN.equals(e.getType())) {
      return;
    }
    int k = index(e.getNode());
    if (k < 0) {
      return;
    }
    SimAgent.Verdict v = agents[k].downVerdict(clock.getAsLong());
    synchronized (this) {
      onDown.accept(k);
      if (measuring) {
        total++;
        if (v.gapNanos() < ttlNanos) {
          falseDowns++;
          LOG.warn("event=sim_false_down node={} longest_gap_ms={} ttl_ms={} session={} message=\"{}\"",
              e.getNode(), TimeUnit.NANOSECONDS.toMillis(v.gapNanos()), TimeUnit.NANOSECONDS.toMillis(ttlNanos),
              v.established(), e.getMessage());
        } else {
          explained++;
          if (!v.established()) {
            withoutSession++;
          }
          LOG.info("event=sim_explained_down node={} longest_gap_ms={} ttl_ms={} session={}", e.getNode(),
              TimeUnit.NANOSECONDS.toMillis(v.gapNanos()), TimeUnit.NANOSECONDS.toMillis(ttlNanos),
              v.established());
        }
      }
      notifyAll();
    }
  }

  /** The agent index of {@code node}, or -1 when it is not one of this run's nodes. */
  int index(String node) {
    return index(nodePrefix, agents.length, node);
  }

  /**
   * The index {@code k} of node {@code <prefix>k} (prefix with its dash) when {@code 0 <= k <
   * agents}, written without leading zeros; else -1.
   */
  static int index(String prefix, int agents, String node) {
    if (!node.startsWith(prefix)) {
      return -1;
    }
    String rest = node.substring(prefix.length());
    if (rest.isEmpty() || rest.length() > 6 || !rest.chars().allMatch(c -> c >= '0' && c <= '9')
        || (rest.length() > 1 && rest.charAt(0) == '0')) {
      return -1;
    }
    int k = Integer.parseInt(rest);
    return k < agents ? k : -1;
  }

  /** Verdicts from now on are no longer counted (only remembered). */
  synchronized void endMeasuring() {
    measuring = false;
  }

  /** The verdicts counted while measuring. */
  synchronized AgentsReport.Down verdicts() {
    return new AgentsReport.Down(total, falseDowns, explained, withoutSession);
  }

  /**
   * Calls {@code listener} with the agent index of every DOWN verdict from now on, on the event
   * thread, before {@link #awaitVerdict} waiters wake; it must be quick.
   */
  void onDown(java.util.function.IntConsumer listener) {
    onDown = listener;
  }

  /** Waits until the next verdict arrives or {@code nanos} have passed. */
  synchronized void awaitVerdict(long nanos) throws InterruptedException {
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, nanos);
    }
  }

  /** Whether the event stream ended (failed for good): no more verdicts will come. */
  boolean ended() {
    return events.isDone();
  }

  @Override
  public void close() {
    events.close();
  }
}
