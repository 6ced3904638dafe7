package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;

/**
 * One kind of fault the nemesis can inject into a {@link ChaosCluster} and later heal. A
 * fault picks its target when injected (the leader at that moment, say), so the same fault
 * can be injected many times.
 *
 * <p>Contract: {@link #inject} either puts the fault fully in effect and returns its {@link
 * Injection}, or throws and leaves nothing in effect (a partition that failed halfway is
 * healed before the exception leaves). Faults are used from one thread at a time.
 */
public interface Fault {
  /** How long a fault waits for a leader to aim at (one may be being elected). */
  Duration FIND_LEADER = Duration.ofSeconds(30);

  /** A short stable name, as recorded in the history and the report: {@code kill-leader}. */
  String name();

  /** Injects the fault now; the returned injection says what it hit and heals it. */
  Injection inject(ChaosCluster cluster) throws Exception;

  /**
   * The shortest hold that makes this fault mean something (an agent silent past the TTL,
   * say); the nemesis holds it at least this long. Zero by default.
   */
  default Duration minHold() {
    return Duration.ZERO;
  }

  /** This fault, held at least {@code hold} by the nemesis. */
  default Fault heldAtLeast(Duration hold) {
    return new Named(name(), this::inject, hold);
  }

  /** A fault in effect. */
  interface Injection {
    /** What was hit, e.g. {@code c2}, or {@code c2|c1,c3} for a partition. */
    String target();

    /** Undoes the fault: restarts, continues or reconnects what it hit. */
    void heal() throws Exception;
  }

  /** What injects a fault. */
  @FunctionalInterface
  interface Injector {
    Injection inject(ChaosCluster cluster) throws Exception;
  }

  /** What undoes an injection. */
  @FunctionalInterface
  interface HealAction {
    void run() throws Exception;
  }

  /** A fault named {@code name} that {@code injector} injects. */
  static Fault of(String name, Injector injector) {
    return new Named(name, injector, Duration.ZERO);
  }

  /** A fault by name, what injects it and its shortest hold. */
  record Named(String name, Injector injector, Duration minHold) implements Fault {
    @Override
    public Injection inject(ChaosCluster cluster) throws Exception {
      return injector.inject(cluster);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * {@code first}, then {@code second} while the first is in effect, as one fault named {@code
   * name}; heal undoes the second, then the first. When the second cannot be injected the
   * first is healed before the exception leaves.
   */
  static Fault both(String name, Fault first, Fault second) {
    return of(name, cluster -> {
      Injection a = first.inject(cluster);
      Injection b;
      try {
        b = second.inject(cluster);
      } catch (Exception e) {
        a.heal();
        throw e;
      }
      return injection(a.target() + "+" + b.target(), () -> {
        b.heal();
        a.heal();
      });
    }).heldAtLeast(first.minHold().compareTo(second.minHold()) >= 0 ? first.minHold() : second.minHold());
  }

  static Injection injection(String target, HealAction heal) {
    return new Injection() {
      @Override
      public String target() {
        return target;
      }

      @Override
      public void heal() throws Exception {
        heal.run();
      }
    };
  }
}
