package org.openautoglm.oag.chaos.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.chaos.check.RecoveryChecker;
import org.openautoglm.oag.chaos.check.RecoveryResult;
import org.openautoglm.oag.chaos.check.StoredTask;
import org.openautoglm.oag.chaos.check.SubmitChecker;
import org.openautoglm.oag.chaos.check.SubmitResult;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.fault.Nemesis;
import org.openautoglm.oag.chaos.fault.NetworkFaults;
import org.openautoglm.oag.chaos.fault.ProcessFaults;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.chaos.workload.ClientWorkload;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.client.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first scenario, "leader-faults": concurrent clients submit with request ids while the
 * nemesis kills and pauses leaders and (in namespaces) cuts the leader off from the
 * majority; then everything is healed, the clients go on for a while and stop, and the
 * checks run:
 * <ul>
 *   <li>every acknowledged submit is in the final state; every request id maps to at most
 *       one task; no request reported failed was applied ({@link SubmitChecker});
 *   <li>every coordinator reaches the same digest at the same applied index;
 *   <li>after the last heal no acknowledged write took longer than the bound, and each fault
 *       was followed by an acknowledged write ({@link RecoveryChecker}).
 * </ul>
 * The history, node logs and report stay in the work directory.
 */
public final class LeaderFaultsScenario {
  public static final String NAME = "leader-faults";
  private static final Logger log = LoggerFactory.getLogger(LeaderFaultsScenario.class);
  private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(90);
  private static final int LIVE_TASKS = 4;

  private LeaderFaultsScenario() {}

  public static ScenarioReport run(ScenarioConfig config) throws Exception {
    String network = config.isolatedNetwork() ? "namespaces"
        : "loopback (" + NetworkLab.unavailable().orElse("namespaces not asked for") + ")";
    List<Fault> faults = new ArrayList<>(List.of(ProcessFaults.killLeader(), ProcessFaults.pauseLeader()));
    if (config.isolatedNetwork()) {
      faults.add(NetworkFaults.isolateLeader());
    } else {
      log.warn("event=partitions_skipped reason=\"{}\"", network);
    }
    ClusterSpec spec = ClusterSpec.of(3, config.workDir(), config.isolatedNetwork());
    try (ChaosCluster cluster = ChaosCluster.start(spec, CLUSTER_WITHIN);
        History history = History.create(config.workDir().resolve("history.jsonl"), System::nanoTime)) {
      // No agents here: tasks wait to be placed, and only the clients change what they want.
      ClientWorkload workload = new ClientWorkload(cluster.clientAddresses(), history,
          config.clients(), config.opsPerSecond(), config.seed(),
          () -> TaskSpec.command("sleep", "86400").name("chaos"), LIVE_TASKS);
      workload.start();
      Nemesis.Injected injected;
      try {
        injected = new Nemesis(cluster, history, faults, config.seed(), Nemesis.Schedule.standard())
            .run(config.duration());
        // Clients go on after the last heal: the recovery bound is checked on these writes.
        Thread.sleep(config.settle().toMillis());
      } finally {
        workload.stop(Duration.ofSeconds(30));
      }
      cluster.awaitReady(CLUSTER_WITHIN);
      Convergence convergence = cluster.awaitConverged(CLUSTER_WITHIN);
      List<StoredTask> stored = finalState(cluster);
      List<Op> ops = history.ops();
      SubmitResult submits = SubmitChecker.check(ops, stored);
      RecoveryResult recovery = RecoveryChecker.check(ops, config.recoveryBound());
      log.info("event=scenario_checked {} {}", submits.summary(), recovery.summary());
      ScenarioReport report = new ScenarioReport(NAME, config.seed(), config.duration().toSeconds(),
          network, injected.byFault(), injected.failed(), count(ops, OpType.OK), count(ops, OpType.FAIL), count(ops, OpType.INFO),
          submits.invoked(), stored.size(), submits.lost(), submits.duplicated(),
          submits.failedButApplied(), submits.unexpected(), recovery.unrecovered(),
          recovery.p50().toMillis(), recovery.max().toMillis(), recovery.worstAfterHeal().toMillis(),
          config.recoveryBound().toMillis(), recovery.violations(), convergence.appliedIndex(),
          convergence.digests(), config.workDir().resolve("history.jsonl").toString());
      report.write(config.workDir());
      return report;
    }
  }

  /** Every stored task, read linearizably through a fresh client once the faults are over. */
  private static List<StoredTask> finalState(ChaosCluster cluster) {
    try (CoordinatorClient client = CoordinatorClient.connect(ClientConfig.builder(cluster.clientAddresses())
        .retryBudget(Duration.ofSeconds(60)).build())) {
      return client.listAll(TaskQuery.all().withPageSize(1000))
          .map(t -> StoredTask.of(t.getId(), t.getSpec().getLabelsMap())).toList();
    }
  }

  private static long count(List<Op> ops, OpType type) {
    return ops.stream().filter(op -> !op.isNemesis() && op.type() == type).count();
  }
}
