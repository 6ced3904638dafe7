package org.openautoglm.oag.chaos.fault;

import org.openautoglm.oag.chaos.cluster.ChaosCluster;

/**
 * One kind of fault the nemesis can inject into a {@link ChaosCluster} and later heal. A
 * fault picks its target when injected (the leader at that moment, say), so the same fault
 * can be injected many times.
 */
public interface Fault {
  /** A short stable name, as recorded in the history and the report: {@code kill-leader}. */
  String name();

  /** Injects the fault now; the returned injection says what it hit and heals it. */
  Injection inject(ChaosCluster cluster) throws Exception;

  /** A fault in effect. */
  interface Injection {
    /** What was hit, e.g. {@code c2}, or {@code c2|c1,c3} for a partition. */
    String target();

    /** Undoes the fault: restarts, continues or reconnects what it hit. */
    void heal() throws Exception;
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

  /** What undoes an injection. */
  @FunctionalInterface
  interface HealAction {
    void run() throws Exception;
  }
}
