package org.openautoglm.oag.chaos.fault;

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
  private NetworkFaults() {}

  /** Cuts the current leader from every other coordinator (majority/minority split); heal removes every rule. */
  public static Fault isolateLeader() {
    return Fault.of("partition-leader", cluster -> {
      Firewall firewall = firewall(cluster);
      CoordinatorProcess leader = cluster.awaitLeader(Fault.FIND_LEADER);
      try {
        firewall.isolate(leader.id());
      } catch (RuntimeException e) {
        firewall.heal();   // nothing half-cut stays in effect
        throw e;
      }
      List<String> rest = cluster.nodes().stream().map(CoordinatorProcess::id)
          .filter(id -> !id.equals(leader.id())).toList();
      return Fault.injection(leader.id() + "|" + String.join(",", rest), firewall::heal);
    });
  }

  private static Firewall firewall(ChaosCluster cluster) {
    return cluster.network().map(NetworkLab::firewall).orElseThrow(() ->
        new IllegalStateException("this cluster has no namespaces: network faults unavailable"));
  }
}
