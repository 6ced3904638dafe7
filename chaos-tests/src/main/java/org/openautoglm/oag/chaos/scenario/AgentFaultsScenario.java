package org.openautoglm.oag.chaos.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.failover.EventLog;
import org.openautoglm.oag.chaos.failover.FailoverRound;
import org.openautoglm.oag.chaos.failover.FleetWatch;
import org.openautoglm.oag.chaos.failover.OverlapCheck;
import org.openautoglm.oag.chaos.failover.ReporterWorkload;
import org.openautoglm.oag.chaos.failover.RoundResult;
import org.openautoglm.oag.chaos.fault.AgentFaults;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.fault.ProcessFaults;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "agent-faults" scenario: 3 coordinators and 3 agents, exclusive and available tasks
 * that tick to the harness's sink, and rounds of faults on the agent that runs them (the
 * busiest one with tasks of both modes): kill -9 (restarted on its data dir afterwards),
 * SIGSTOP until its work runs elsewhere (then SIGCONT), cut off from every coordinator
 * (namespaces only; then healed), and kill -9 with the leader killed during the reassignment.
 * Kinds alternate: kill, stop, partition, leader kill, kill, stop, ...
 *
 * <p>Each round is a {@link FailoverRound}: every task of the agent RUNNING elsewhere, then the
 * agent back and its stale instances dead, then every task ticking in exactly one generation.
 * A round that does not get there within its bound is recorded as failed, everything is
 * healed, and the run goes on. At the end the sink's record is checked for overlapping
 * exclusive generations. Ticks ({@code ticks.jsonl}), the event log ({@code events.txt}), node
 * logs and the report stay in the work directory.
 */
public final class AgentFaultsScenario {
  public static final String NAME = "agent-faults";
  private static final Logger log = LoggerFactory.getLogger(AgentFaultsScenario.class);
  private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(90);

  private AgentFaultsScenario() {}

  public static AgentFaultsReport run(AgentFaultsConfig config) throws Exception {
    String network = config.isolatedNetwork() ? "namespaces"
        : "loopback (" + NetworkLab.unavailable().orElse("namespaces not asked for") + ")";
    ClusterSpec spec = ClusterSpec.of(3, config.workDir(), config.isolatedNetwork())
        .withAgents(3, List.of("--cpu", "2", "--memory", "2Gi"));
    try (ChaosCluster cluster = ChaosCluster.start(spec, CLUSTER_WITHIN);
        TickSink sink = TickSink.start(new InetSocketAddress(sinkAddress(cluster), 0), System::nanoTime,
            config.workDir().resolve("ticks.jsonl"));
        CoordinatorClient client = CoordinatorClient.connect(ClientConfig.builder(cluster.clientAddresses())
            .deadline(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(15))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build())) {
      ReporterWorkload workload = ReporterWorkload.submit(client, sink, NAME, config.exclusive(), config.available());
      FleetWatch watch = new FleetWatch(cluster, client, sink, workload);
      FailoverRound round = new FailoverRound(cluster, watch, config.within());
      List<RoundResult> results = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (String kind : schedule(config)) {
        try {
          RoundResult r = round(round, watch, kind, config.within());
          results.add(r);
          System.err.println("chaos: round " + (results.size() + failed.size()) + ": " + r.summary());
        } catch (Exception e) {
          failed.add(kind + ": " + e.toString().lines().findFirst().orElse(""));
          log.warn("event=round_failed kind={}", kind, e);
          healEverything(cluster);
        }
      }
      try {
        EventLog.write(client, config.workDir().resolve("events.txt"));
      } catch (RuntimeException e) {
        log.warn("event=events_not_kept reason=\"{}\"", e.toString());
      }
      var lives = sink.lives();
      var exclusive = workload.exclusiveIds();
      AgentFaultsReport report = new AgentFaultsReport(network, config.exclusive(), config.available(), results,
          failed, OverlapCheck.overlaps(lives, exclusive).stream().map(Object::toString).toList(),
          OverlapCheck.handovers(lives, exclusive),
          OverlapCheck.shortestBreak(lives, exclusive).orElse(-1_000_000) / 1_000_000,
          config.workDir().toString());
      report.write(config.workDir());
      return report;
    }
  }

  /** The kinds of round in order: kill, stop, partition, leader kill, each as often as asked. */
  static List<String> schedule(AgentFaultsConfig config) {
    List<String> kinds = new ArrayList<>();
    int most = Math.max(Math.max(config.kills(), config.partitions()), config.leaderKills());
    for (int i = 0; i < most; i++) {
      if (i < config.kills()) {
        kinds.add("kill");
        kinds.add("stop");
      }
      if (i < config.partitions()) {
        kinds.add("partition");
      }
      if (i < config.leaderKills()) {
        kinds.add("leader");
      }
    }
    return kinds;
  }

  private static RoundResult round(FailoverRound round, FleetWatch watch, String kind, Duration within)
      throws Exception {
    String victim = watch.awaitVictim(within);
    Fault fault = switch (kind) {
      case "kill", "leader" -> AgentFaults.kill(victim);
      case "stop" -> AgentFaults.pause(victim);
      case "partition" -> AgentFaults.isolate(victim);
      default -> throw new IllegalArgumentException(kind);
    };
    return round.run(victim, fault, kind.equals("leader") ? ProcessFaults.killLeader() : null);
  }

  /** After a failed round: no cut, every coordinator and agent running and none paused. */
  private static void healEverything(ChaosCluster cluster) {
    try {
      cluster.restore();
    } catch (RuntimeException e) {
      log.warn("event=heal_failed reason=\"{}\"", e.toString());
    }
  }

  /** Where the cluster's tasks reach the harness: its host address in namespaces, else loopback. */
  static InetAddress sinkAddress(ChaosCluster cluster) throws UnknownHostException {
    return cluster.network().isPresent() ? InetAddress.getByName(cluster.network().get().hostAddress())
        : InetAddress.getLoopbackAddress();
  }
}
