package org.openautoglm.oag.chaos.fault;

import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;

/** Faults on coordinator processes, by pid: kill -9 and SIGSTOP of the leader. */
public final class ProcessFaults {
  private ProcessFaults() {}

  /** SIGKILL the current leader; heal restarts it with its data. */
  public static Fault killLeader() {
    return Fault.of("kill-leader", cluster -> {
      CoordinatorProcess leader = cluster.awaitLeader(Fault.FIND_LEADER);
      leader.kill();
      return Fault.injection(leader.id(), leader::start);
    });
  }

  /** SIGSTOP the current leader (held longer than the election timeout by the nemesis); heal is SIGCONT. */
  public static Fault pauseLeader() {
    return Fault.of("pause-leader", cluster -> {
      CoordinatorProcess leader = cluster.awaitLeader(Fault.FIND_LEADER);
      leader.pause();
      return Fault.injection(leader.id(), leader::resume);
    });
  }
}
