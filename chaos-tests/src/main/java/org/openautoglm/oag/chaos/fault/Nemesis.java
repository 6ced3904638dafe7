package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into a cluster on a seeded schedule: in rounds, each fault once per round
 * in a shuffled order; each is injected, held (at least its {@link Fault#minHold()}), healed,
 * then the cluster is left quiet. One
 * fault at a time, each healed before the next, so every inject in the history has its heal.
 * Inject and heal are recorded as nemesis ops in the {@link History}; a fault that could not
 * be injected (no leader to aim at, say) is recorded with phase {@value #NOT_INJECTED} and
 * counted, so a run where faults silently fail to happen does not pass for a tested one.
 *
 * <p>The same seed gives the same order and the same hold and quiet times; what a fault hits
 * (the leader then) depends on the run. Runs on the calling thread. Once the first round is
 * done it starts no fault after {@code duration}; the last one still takes its hold, heal and quiet time, and a fault's
 * search for a leader ({@link Fault#FIND_LEADER}) or a kill's wait for the exit may add to
 * that.
 */
public final class Nemesis {
  private static final Logger log = LoggerFactory.getLogger(Nemesis.class);
  /** The history phase of a fault that could not be injected. */
  public static final String NOT_INJECTED = "not-injected";

  private final ChaosCluster cluster;
  private final History history;
  private final List<Fault> faults;
  private final Random random;
  private final Schedule schedule;

  /** How long a fault is held and how long the cluster is left alone after each heal. */
  public record Schedule(Duration holdMin, Duration holdMax, Duration quietMin, Duration quietMax) {
    /** Holds of 1.5-4 s (several election timeouts), 2-5 s of quiet. */
    public static Schedule standard() {
      return new Schedule(Duration.ofMillis(1500), Duration.ofSeconds(4), Duration.ofSeconds(2),
          Duration.ofSeconds(5));
    }
  }

  public Nemesis(ChaosCluster cluster, History history, List<Fault> faults, long seed, Schedule schedule) {
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("no faults to inject");
    }
    this.cluster = cluster;
    this.history = history;
    this.faults = List.copyOf(faults);
    this.random = new Random(seed);
    this.schedule = schedule;
  }

  /** What a run injected: how often each fault was, and how many injections failed. */
  public record Injected(Map<String, Integer> byFault, int failed) {
    public int total() {
      return byFault.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Injects faults until {@code duration} has passed, and at least one whole round, so that
   * every fault is tried once however short the duration.
   */
  public Injected run(Duration duration) throws InterruptedException {
    Map<String, Integer> injected = new TreeMap<>();
    faults.forEach(f -> injected.put(f.name(), 0));
    int failed = 0;
    int tried = 0;
    List<Fault> round = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end || tried < faults.size()) {
      tried++;
      if (round.isEmpty()) {
        round.addAll(faults);
        Collections.shuffle(round, random);
      }
      Fault fault = round.remove(round.size() - 1);
      Duration drawn = between(schedule.holdMin(), schedule.holdMax());
      Duration hold = drawn.compareTo(fault.minHold()) >= 0 ? drawn : fault.minHold();
      Duration quiet = between(schedule.quietMin(), schedule.quietMax());
      Fault.Injection injection;
      try {
        injection = fault.inject(cluster);
      } catch (Exception e) {
        log.warn("event=fault_not_injected fault={} reason={}", fault.name(), e.toString());
        history.nemesis(fault.name(), "-", NOT_INJECTED);
        failed++;
        Thread.sleep(quiet.toMillis());
        continue;
      }
      history.nemesis(fault.name(), injection.target(), Op.INJECT);
      injected.merge(fault.name(), 1, Integer::sum);
      log.info("event=fault_injected fault={} target={} hold_ms={}", fault.name(), injection.target(),
          hold.toMillis());
      Thread.sleep(hold.toMillis());
      heal(fault, injection);
      Thread.sleep(quiet.toMillis());
    }
    return new Injected(injected, failed);
  }

  private void heal(Fault fault, Fault.Injection injection) {
    try {
      injection.heal();
    } catch (Exception e) {
      throw new IllegalStateException("cannot heal " + fault.name() + " on " + injection.target(), e);
    }
    history.nemesis(fault.name(), injection.target(), Op.HEAL);
    log.info("event=fault_healed fault={} target={}", fault.name(), injection.target());
  }

  private Duration between(Duration min, Duration max) {
    long span = max.toMillis() - min.toMillis();
    return min.plusMillis(span <= 0 ? 0 : (long) (random.nextDouble() * span));
  }
}
