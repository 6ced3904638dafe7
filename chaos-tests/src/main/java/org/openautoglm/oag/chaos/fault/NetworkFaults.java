package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import java.util.List;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.chaos.net.Firewall;
import org.openautoglm.oag.chaos.net.NetworkLab;

/**
 * Partitions between coordinators, by firewall rules in their namespaces. Clients keep
 * reaching every node, so a leader cut off from the majority still gets requests: exactly
 * the case where a deposed leader must not acknowledge anything.
 */
public final class NetworkFaults {
  private static final Duration FIND_LEADER = Duration.ofSeconds(30);

  private NetworkFaults() {}

  /** Cuts the current leader from every other coordinator (majority/minority split); heal removes every rule. */
  public static Fault isolateLeader() {
    return new Fault() {
      @Override
      public String name() {
        return "partition-leader";
      }

      @Override
      public Fault.Injection inject(ChaosCluster cluster) throws Exception {
        Firewall firewall = firewall(cluster);
        CoordinatorProcess leader = cluster.awaitLeader(FIND_LEADER);
        firewall.isolate(leader.id());
        List<String> rest = cluster.nodes().stream().map(CoordinatorProcess::id)
            .filter(id -> !id.equals(leader.id())).toList();
        return Fault.injection(leader.id() + "|" + String.join(",", rest), firewall::heal);
      }

      @Override
      public String toString() {
        return name();
      }
    };
  }

  private static Firewall firewall(ChaosCluster cluster) {
    return cluster.network().map(NetworkLab::firewall).orElseThrow(() ->
        new IllegalStateException("this cluster has no namespaces: network faults unavailable"));
  }
}
