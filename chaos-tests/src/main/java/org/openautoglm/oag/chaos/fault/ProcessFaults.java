package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import java.util.List;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;

/** Faults on coordinator processes, by pid: kill -9 and SIGSTOP of the leader or a follower. */
public final class ProcessFaults {
  private static final Duration FIND_LEADER = Duration.ofSeconds(30);

  private ProcessFaults() {}

  /** SIGKILL the current leader; heal restarts it with its data. */
  public static Fault killLeader() {
    return fault("kill-leader", c -> c.awaitLeader(FIND_LEADER), ProcessFaults::kill);
  }

  /** SIGKILL one follower (a minority of three); heal restarts it with its data. */
  public static Fault killFollower() {
    return fault("kill-follower", ProcessFaults::follower, ProcessFaults::kill);
  }

  /** SIGSTOP the current leader (held longer than the election timeout by the nemesis); heal is SIGCONT. */
  public static Fault pauseLeader() {
    return fault("pause-leader", c -> c.awaitLeader(FIND_LEADER), node -> {
      node.pause();
      return Fault.injection(node.id(), node::resume);
    });
  }

  private static Fault.Injection kill(CoordinatorProcess node) {
    node.kill();
    return Fault.injection(node.id(), node::start);
  }

  private static CoordinatorProcess follower(ChaosCluster cluster) throws Exception {
    CoordinatorProcess leader = cluster.awaitLeader(FIND_LEADER);
    List<CoordinatorProcess> others = cluster.nodes().stream().filter(n -> n != leader && n.running()).toList();
    if (others.isEmpty()) {
      throw new IllegalStateException("no running follower");
    }
    return others.get(0);
  }

  @FunctionalInterface
  interface Target {
    CoordinatorProcess pick(ChaosCluster cluster) throws Exception;
  }

  @FunctionalInterface
  interface Action {
    Fault.Injection apply(CoordinatorProcess node) throws Exception;
  }

  private static Fault fault(String name, Target target, Action action) {
    return new Fault() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Fault.Injection inject(ChaosCluster cluster) throws Exception {
        return action.apply(target.pick(cluster));
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
