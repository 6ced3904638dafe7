package org.openautoglm.oag.chaos.scenario;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.PlacementStrategy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.chaos.check.GenerationChecker;
import org.openautoglm.oag.chaos.check.LinearizabilityChecker;
import org.openautoglm.oag.chaos.check.LivenessCheck;
import org.openautoglm.oag.chaos.check.RecoveryChecker;
import org.openautoglm.oag.chaos.check.StoredTask;
import org.openautoglm.oag.chaos.check.SubmitChecker;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.failover.EventLog;
import org.openautoglm.oag.chaos.failover.OverlapCheck;
import org.openautoglm.oag.chaos.cluster.FakeClock;
import org.openautoglm.oag.chaos.cluster.NodeView;
import org.openautoglm.oag.chaos.fault.AgentFaults;
import org.openautoglm.oag.chaos.fault.ClockFaults;
import org.openautoglm.oag.chaos.fault.Fault;
import org.openautoglm.oag.chaos.fault.LogFaults;
import org.openautoglm.oag.chaos.fault.Nemesis;
import org.openautoglm.oag.chaos.fault.NetworkFaults;
import org.openautoglm.oag.chaos.fault.ProcessFaults;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;
import org.openautoglm.oag.chaos.net.NetworkLab;
import org.openautoglm.oag.chaos.sink.Life;
import org.openautoglm.oag.chaos.sink.TickSink;
import org.openautoglm.oag.chaos.workload.ClientWorkload;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.client.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scenarios where clients work while the nemesis injects faults on a seeded random
 * schedule ({@link Nemesis}), then everything is healed, the clients go on for a while and
 * stop, and the checks run on the history and the final state:
 * <ul>
 *   <li>"leader-faults": 3 coordinators, no agents (tasks wait to be placed); the leader is
 *       killed, paused and (in namespaces) cut off from the majority.
 *   <li>"lagging-follower": 3 coordinators that snapshot every 100 entries and purge their
 *       logs up to it; a follower is stopped until the others have purged past it, and must
 *       catch up by installing a checkpoint. No leader kills here: a log purged that far
 *       strands a killed leader (Ratis 3.2.2; see CoordinatorConfig).
 *   <li>"mixed": 3 coordinators and 3 agents running the clients' tasks, reporters that tick
 *       to the harness's sink, half exclusive and half available; every fault class: the
 *       leader's, agents killed, paused and cut off (from everything, or from their session
 *       and the leader so that their heartbeats go through a follower) past the TTL, drains,
 *       and a drain with the leader killed during it.
 * </ul>
 * Where libfaketime is installed every scenario also jumps the leader's wall clock 10
 * minutes forward and back ({@link ClockFaults}). The checks: every acknowledged submit stored once, under its request id ({@link
 * SubmitChecker}); the desired state of every task linearizable ({@link
 * LinearizabilityChecker}); generations read only going up ({@link GenerationChecker}); each
 * fault followed by an acknowledged write, and no slow write after the last heal ({@link
 * RecoveryChecker}); every coordinator at the same digest at the same applied index; and with
 * agents, no two generations of an exclusive task alive at once ({@link OverlapCheck}) and
 * every task a client still wants running again within a bound ({@link LivenessCheck}). The
 * history, ticks, event log, node logs and report stay in the work directory.
 */
public final class FaultScenario {
  public static final String LEADER_FAULTS = "leader-faults";
  public static final String MIXED = "mixed";
  public static final String LAGGING_FOLLOWER = "lagging-follower";
  /** Every fault scenario. */
  public static final List<String> NAMES = List.of(LEADER_FAULTS, MIXED, LAGGING_FOLLOWER);
  private static final Logger log = LoggerFactory.getLogger(FaultScenario.class);
  private static final Duration CLUSTER_WITHIN = Duration.ofSeconds(90);
  private static final Duration LIVENESS_BOUND = Duration.ofSeconds(60);
  /** An agent's faults are held past the failover TTL (6 s), so its work is placed elsewhere. */
  private static final Duration PAST_TTL = Duration.ofSeconds(8);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(20);
  /** Far past every timeout and lease, well inside the 24 h dedupe window. */
  private static final Duration CLOCK_JUMP = Duration.ofMinutes(10);
  private static final long SNAPSHOT_EVERY = 100;
  private static final long SEGMENT_BYTES = 16 << 10;
  /** Without agents: short-lived tasks, many submits. */
  private static final ClientWorkload.Mix WAITING_MIX = new ClientWorkload.Mix(4, 30);
  /**
   * With agents: tasks that live for tens of seconds (a submit is one operation in twenty), so
   * that an agent fault finds work to move.
   */
  private static final ClientWorkload.Mix RUNNING_MIX = new ClientWorkload.Mix(6, 5);

  private FaultScenario() {}

  public static ScenarioReport run(String name, ScenarioConfig config) throws Exception {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no fault scenario '" + name + "'");
    }
    boolean agents = name.equals(MIXED);
    List<String> notes = new ArrayList<>();
    String network = config.isolatedNetwork() ? "namespaces"
        : "loopback (" + NetworkLab.unavailable().orElse("namespaces not asked for") + ")";
    if (!config.isolatedNetwork()) {
      notes.add("no partitions: " + network);
    }
    ClusterSpec spec = ClusterSpec.of(3, config.workDir(), config.isolatedNetwork());
    if (agents) {
      spec = spec.withAgents(3, List.of("--cpu", "2", "--memory", "2Gi"));
    }
    if (name.equals(LAGGING_FOLLOWER)) {
      spec = spec.withFrequentSnapshots(SNAPSHOT_EVERY, SEGMENT_BYTES);
    }
    boolean clocks = FakeClock.unavailable().isEmpty();
    if (clocks) {
      spec = spec.withFakeClocks();
      notes.add("clock jumps: libfaketime with FAKETIME_DONT_FAKE_MONOTONIC=1, so only the wall clock jumps; "
          + "Java's monotonic clock, which Raft timers and leases use, stays real");
    } else {
      notes.add("no clock jumps: " + FakeClock.unavailable().get());
    }
    try (ChaosCluster cluster = ChaosCluster.start(spec, CLUSTER_WITHIN);
        TickSink sink = agents ? TickSink.start(new InetSocketAddress(AgentFaultsScenario.sinkAddress(cluster), 0),
            System::nanoTime, config.workDir().resolve("ticks.jsonl")) : null;
        CoordinatorClient client = CoordinatorClient.connect(ClientConfig.builder(cluster.clientAddresses())
            .retryBudget(Duration.ofSeconds(60)).build());
        History history = History.create(config.workDir().resolve("history.jsonl"), System::nanoTime)) {
      Random random = new Random(config.seed());
      List<Fault> faults = faults(name, config.isolatedNetwork(), clocks, client, random);
      ClientWorkload workload = new ClientWorkload(cluster.clientAddresses(), history, config.clients(),
          config.opsPerSecond(), config.seed(), agents ? reporters(sink) : waiting(),
          agents ? RUNNING_MIX : WAITING_MIX);
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
      ScenarioReport.Liveness liveness = agents ? ScenarioReport.Liveness.of(
          LivenessCheck.await(() -> readAll(client), LIVENESS_BOUND), LIVENESS_BOUND.toMillis()) : null;
      Convergence replicas = cluster.awaitConverged(CLUSTER_WITHIN);
      long installs = cluster.views().values().stream().mapToLong(NodeView::snapshotInstalls).sum();
      List<Task> tasks = readAll(client);
      List<Op> ops = history.ops();
      var submits = SubmitChecker.check(ops, tasks.stream()
          .map(t -> StoredTask.of(t.getId(), t.getSpec().getLabelsMap())).toList());
      var recovery = RecoveryChecker.check(ops, config.recoveryBound());
      var linearizability = LinearizabilityChecker.check(ops);
      var generations = GenerationChecker.check(ops);
      log.info("event=scenario_checked {} {} {} {}", submits.summary(), recovery.summary(),
          linearizability.summary(), generations.summary());
      ScenarioReport.Fencing fencing = null;
      if (agents) {
        fencing = fencing(sink.lives(), tasks);
        keepEvents(client, config);
      }
      ScenarioReport report = new ScenarioReport(name, config.seed(), config.duration().toSeconds(), network,
          notes, injected.byFault(), injected.failed(), count(ops, OpType.OK), count(ops, OpType.FAIL),
          count(ops, OpType.INFO), ScenarioReport.Submits.of(submits, tasks.size()),
          ScenarioReport.Recovery.of(recovery, config.recoveryBound().toMillis()),
          ScenarioReport.Linearizability.of(linearizability), ScenarioReport.Generations.of(generations),
          replicas, fencing, liveness, installs, config.workDir().toString());
      report.write(config.workDir());
      return report;
    }
  }

  /**
   * Clock jumps of the leader where libfaketime is; a follower left behind the purged log
   * (alone: a log purged up to the snapshot strands a killed leader, see CoordinatorConfig);
   * else the leader's faults, and with agents every agent fault class and drains.
   */
  private static List<Fault> faults(String name, boolean namespaces, boolean clocks, CoordinatorClient client,
      Random random) {
    List<Fault> faults = new ArrayList<>();
    if (clocks) {
      faults.add(ClockFaults.jumpLeader(CLOCK_JUMP));
      faults.add(ClockFaults.jumpLeader(CLOCK_JUMP.negated()));
    }
    if (name.equals(LAGGING_FOLLOWER)) {
      faults.add(LogFaults.lagFollower());
      return faults;
    }
    faults.addAll(List.of(ProcessFaults.killLeader(), ProcessFaults.pauseLeader()));
    if (namespaces) {
      faults.add(NetworkFaults.isolateLeader());
    }
    if (!name.equals(MIXED)) {
      return faults;
    }
    faults.add(AgentFaults.onAnAgent("kill-agent", AgentFaults::kill, random, PAST_TTL));
    faults.add(AgentFaults.onAnAgent("pause-agent", AgentFaults::pause, random, PAST_TTL));
    faults.add(AgentFaults.onAnAgent("drain-agent", a -> AgentFaults.drain(client, a, DRAIN_DEADLINE), random,
        Duration.ZERO));
    faults.add(Fault.both("drain-agent+kill-leader",
        AgentFaults.onAnAgent("drain-agent", a -> AgentFaults.drain(client, a, DRAIN_DEADLINE), random,
            Duration.ZERO), ProcessFaults.killLeader()));
    if (namespaces) {
      faults.add(AgentFaults.onAnAgent("partition-agent", AgentFaults::isolate, random, PAST_TTL));
      faults.add(AgentFaults.onAnAgent("cut-agent-from-leader", AgentFaults::cutFromSessionAndLeader, random,
          PAST_TTL));
    }
    return faults;
  }

  /** Without agents: a command that would run until stopped, were it ever placed. */
  private static Supplier<TaskSpec> waiting() {
    return () -> TaskSpec.command("sleep", "86400").name("chaos");
  }

  /**
   * Reporters ticking to the sink, exclusive and available in turn, small enough that all fit,
   * spread over the agents so that a fault on any agent has work to move.
   */
  private static Supplier<TaskSpec> reporters(TickSink sink) {
    List<String> command = sink.reporterCommand();
    AtomicLong submitted = new AtomicLong();
    return () -> {
      boolean exclusive = submitted.getAndIncrement() % 2 == 0;
      String mode = exclusive ? "exclusive" : "available";
      return TaskSpec.command(command.get(0), command.subList(1, command.size()))
          .name("chaos-" + mode).label("fencing", mode)
          .fencing(exclusive ? FencingMode.FENCING_EXCLUSIVE : FencingMode.FENCING_AVAILABLE)
          .cpuMillis(100).memoryMiB(16).stopGrace(Duration.ofSeconds(1))
          .placement(PlacementStrategy.PLACEMENT_SPREAD);
    };
  }

  private static ScenarioReport.Fencing fencing(List<Life> lives, List<Task> tasks) {
    Set<String> exclusive = tasks.stream()
        .filter(t -> t.getSpec().getFencing() == FencingMode.FENCING_EXCLUSIVE)
        .map(Task::getId).collect(Collectors.toUnmodifiableSet());
    Set<String> available = tasks.stream().map(Task::getId).filter(id -> !exclusive.contains(id))
        .collect(Collectors.toUnmodifiableSet());
    return new ScenarioReport.Fencing(exclusive.size(), OverlapCheck.handovers(lives, exclusive),
        OverlapCheck.overlaps(lives, exclusive).stream().map(Object::toString).toList(),
        OverlapCheck.overlaps(lives, available).size());
  }

  private static void keepEvents(CoordinatorClient client, ScenarioConfig config) {
    try {
      EventLog.write(client, config.workDir().resolve("events.txt"));
    } catch (Exception e) {
      log.warn("event=events_not_kept reason=\"{}\"", e.toString());
    }
  }

  /** Every stored task, read linearizably. */
  private static List<Task> readAll(CoordinatorClient client) {
    return client.listAll(TaskQuery.all().withPageSize(1000)).toList();
  }

  private static long count(List<Op> ops, OpType type) {
    return ops.stream().filter(op -> !op.isNemesis() && op.type() == type).count();
  }
}
