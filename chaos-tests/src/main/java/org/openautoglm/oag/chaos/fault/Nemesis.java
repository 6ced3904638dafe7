package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
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
 * Injects faults into a cluster on a seeded random schedule: pick a fault, inject it, hold
 * it, heal it, stay quiet, repeat until the time is up. One fault at a time, each healed
 * before the next, so every inject in the history has its heal. Inject and heal are recorded
 * as nemesis ops in the {@link History}.
 *
 * <p>The same seed picks the same faults and the same hold and quiet times; what a fault hits
 * (the leader then) depends on the run. Runs on the calling thread; bounded by {@code
 * duration} plus one hold and heal.
 */
public final class Nemesis {
  private static final Logger log = LoggerFactory.getLogger(Nemesis.class);

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

  /** Injects faults until {@code duration} has passed; returns how often each was injected. */
  public Map<String, Integer> run(Duration duration) throws InterruptedException {
    Map<String, Integer> injected = new TreeMap<>();
    faults.forEach(f -> injected.put(f.name(), 0));
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      Fault fault = faults.get(random.nextInt(faults.size()));
      Duration hold = between(schedule.holdMin(), schedule.holdMax());
      Duration quiet = between(schedule.quietMin(), schedule.quietMax());
      Fault.Injection injection;
      try {
        injection = fault.inject(cluster);
      } catch (Exception e) {
        // No leader to hit, say: the cluster is still recovering from the last fault.
        log.warn("event=fault_not_injected fault={} reason={}", fault.name(), e.toString());
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
    return injected;
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
