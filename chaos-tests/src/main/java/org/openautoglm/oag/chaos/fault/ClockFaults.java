package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.chaos.cluster.FakeClock;

/**
 * Wall-clock jumps on a coordinator, as an NTP step or a badly set host clock would make
 * them: only its wall clock moves (what a leader stamps into commands), its monotonic clock
 * (Raft timers, leases) runs on. Needs a cluster started {@link ClusterSpec#withFakeClocks()}
 * (libfaketime; {@link FakeClock#unavailable()} says why not). A jump takes effect within
 * {@link FakeClock#TAKES_EFFECT_WITHIN}, so hold it longer than that.
 */
public final class ClockFaults {
  private ClockFaults() {}

  /**
   * Jumps the current leader's wall clock to real time plus {@code offset} (whole seconds:
   * positive forward, negative backward); heal sets it back to real time, which from a
   * forward jump is a backward jump of the same size. Named {@code jump-clock-forward} or
   * {@code jump-clock-backward}.
   */
  public static Fault jumpLeader(Duration offset) {
    return Fault.of(name(offset), cluster -> {
      requireFakeClocks(cluster);
      return jump(cluster.awaitLeader(Fault.FIND_LEADER), offset);
    });
  }

  /** As {@link #jumpLeader}, on coordinator {@code node} whatever its role. */
  public static Fault jump(String node, Duration offset) {
    return Fault.of(name(offset), cluster -> {
      requireFakeClocks(cluster);
      return jump(cluster.node(node), offset);
    });
  }

  private static Fault.Injection jump(CoordinatorProcess node, Duration offset) {
    node.jumpClock(offset);
    return Fault.injection(node.id(), node::resetClock);
  }

  private static String name(Duration offset) {
    if (offset.isZero() || offset.getNano() != 0) {
      throw new IllegalArgumentException("a jump is a non-zero number of whole seconds, was " + offset);
    }
    return offset.isNegative() ? "jump-clock-backward" : "jump-clock-forward";
  }

  private static void requireFakeClocks(ChaosCluster cluster) {
    if (!cluster.spec().fakeClocks()) {
      throw new IllegalStateException("this cluster has real clocks: start it withFakeClocks()");
    }
  }
}
