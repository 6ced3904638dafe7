package org.openautoglm.oag.chaos.fault;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.openautoglm.oag.chaos.cluster.AgentProcess;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.net.Firewall;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * Faults on one agent, by pid or by firewall: its keeper and its tasks are left alone, as a
 * crashed, frozen or cut-off host would leave them.
 */
public final class AgentFaults {
  private AgentFaults() {}

  /** SIGKILL the agent (its tasks and keeper go on); heal starts it again on the same data dir. */
  public static Fault kill(String agent) {
    return Fault.of("kill-agent", cluster -> {
      AgentProcess a = cluster.agent(agent);
      a.kill();
      return Fault.injection(agent, a::start);
    });
  }

  /** SIGSTOP the agent (held past the TTL by the caller); heal is SIGCONT. */
  public static Fault pause(String agent) {
    return Fault.of("pause-agent", cluster -> {
      AgentProcess a = cluster.agent(agent);
      a.pause();
      return Fault.injection(agent, a::resume);
    });
  }

  /**
   * Cuts the agent off, both ways, from the coordinator its session runs through and from the
   * leader (one coordinator or two), so that its session breaks and it can reach only
   * followers, which relay its heartbeats to the leader. Heal removes every rule. Needs the
   * cluster's namespaces, a leader, and a session the agent's log names.
   */
  public static Fault cutFromSessionAndLeader(String agent) {
    return Fault.of("cut-agent-from-leader", cluster -> {
      Firewall firewall = firewall(cluster);
      String session = cluster.agent(agent).sessionCoordinator().orElseThrow(() ->
          new IllegalStateException(agent + " has no session"));
      Set<String> cut = new TreeSet<>();
      cut.add(cluster.awaitLeader(Fault.FIND_LEADER).id());
      cluster.nodes().stream().filter(c -> c.apiAddress().equals(session)).forEach(c -> cut.add(c.id()));
      if (cut.size() >= cluster.nodes().size()) {
        throw new IllegalStateException("no follower would be left to " + agent);
      }
      try {
        cut.forEach(c -> firewall.cut(agent, c));
      } catch (RuntimeException e) {
        firewall.heal();
        throw e;
      }
      return Fault.injection(agent + "|" + String.join(",", cut), firewall::heal);
    });
  }

  /**
   * Cuts the agent off from every coordinator (and every other agent), both ways; its tasks
   * still reach the harness. Heal removes every rule. Needs the cluster's namespaces.
   */
  public static Fault isolate(String agent) {
    return Fault.of("partition-agent", cluster -> {
      Firewall firewall = firewall(cluster);
      cluster.agent(agent);
      try {
        firewall.isolate(agent);
      } catch (RuntimeException e) {
        firewall.heal();   // nothing half-cut stays in effect
        throw e;
      }
      return Fault.injection(agent + "|coordinators", firewall::heal);
    });
  }

  /**
   * Drains the agent with {@code deadline} through {@code client}; heal cancels the drain if
   * it is still going and makes the agent eligible again, so it gets work back.
   */
  public static Fault drain(CoordinatorClient client, String agent, Duration deadline) {
    return Fault.of("drain-agent", cluster -> {
      cluster.agent(agent);
      client.drain(agent, deadline);
      return Fault.injection(agent, () -> {
        if (client.listNodes().stream().anyMatch(n -> n.getId().equals(agent) && n.getDraining())) {
          client.cancelDrain(agent);
        }
        client.uncordon(agent);
      });
    });
  }

  /**
   * The fault {@code kind} makes for one agent, named {@code name} (the name {@code kind}'s
   * faults have), aimed at an agent drawn from {@code random}
   * each time it is injected, and held past the failover TTL ({@code hold}) so that the
   * agent's work is declared lost and placed elsewhere.
   */
  public static Fault onAnAgent(String name, Function<String, Fault> kind, Random random, Duration hold) {
    return Fault.of(name, cluster -> {
      List<AgentProcess> agents = cluster.agents();
      if (agents.isEmpty()) {
        throw new IllegalStateException("this cluster has no agents");
      }
      String agent;
      synchronized (random) {
        agent = agents.get(random.nextInt(agents.size())).id();
      }
      return kind.apply(agent).inject(cluster);
    }).heldAtLeast(hold);
  }

  private static Firewall firewall(ChaosCluster cluster) {
    return cluster.network().map(NetworkLab::firewall).orElseThrow(() ->
        new IllegalStateException("this cluster has no namespaces: an agent cannot be cut off"));
  }
}
