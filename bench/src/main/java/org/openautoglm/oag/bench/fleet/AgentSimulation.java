package org.openautoglm.oag.bench.fleet;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openautoglm.oag.agent.v1.AgentServiceGrpc;
import org.openautoglm.oag.agent.v1.RegisterReply;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.bench.BenchException;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code oag bench agents}: a fleet of simulated agents ({@link SimAgent}) with real gRPC
 * sessions against a running cluster, so that one leader can be measured watching a whole
 * fleet. In order:
 *
 * <ol>
 *   <li>cluster status, failover settings (the TTL verdicts are judged by), and one register of
 *       agent 0 that tells the leader's heartbeat interval (and fails fast when registering
 *       does not work);
 *   <li>the agents register (at most {@link AgentsConfig#registerConcurrency()} at once) and open
 *       their sessions; a few {@link HeartbeatShard} threads send their heartbeats on an even
 *       {@link SendSchedule} for {@link AgentsConfig#duration()} (the measured phase, ramp-up
 *       included); a {@link DownWatch} follows the event log for DOWN verdicts on their nodes;
 *       with tasks per agent, {@link SimTasks} submits them meanwhile;
 *   <li>at the end of the measured phase: a snapshot (sessions, the node list, allocations,
 *       send gaps); then the fleet ends, either all at once ({@link AgentsConfig#keep()}) or by
 *       stopping its tasks and retiring its nodes in waves ({@link Retirement}) until each is
 *       DOWN; every stream is closed, every thread stopped.
 * </ol>
 *
 * <p>Bounded: registers stop at the end of the measured phase; ending takes at most {@link
 * AgentsConfig#retireTimeout()} plus a few seconds of closing. One run per instance; {@link
 * #run()} blocks its caller. Progress lines (every {@link #PROGRESS_NANOS}) go to {@code progress}.
 */
public final class AgentSimulation {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSimulation.class);
  /** The node label naming the run (the node prefix); the tasks' constraint. */
  public static final String RUN_LABEL = "sim.run";
  static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ClientConfig clientConfig;
  private final AgentsConfig config;
  private final Consumer<String> progress;

  public AgentSimulation(ClientConfig clientConfig, AgentsConfig config, Consumer<String> progress) {
    this.clientConfig = clientConfig;
    this.config = config;
    this.progress = progress;
  }

  /** Runs the simulation; throws {@link BenchException} when the cluster cannot be used at all. */
  public AgentsReport run() {
    try (Machinery m = new Machinery(config, CoordinatorClient.connect(clientConfig))) {
      return simulate(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted");
    }
  }

  private AgentsReport simulate(Machinery m) throws InterruptedException {
    int n = config.agents();
    CoordinatorClient client = m.client;
    ClusterStatus before = client.clusterStatus();
    FailoverSettings failover = client.failoverSettings();
    LeaderLocator locator = new LeaderLocator(clientConfig.addresses(), config.connect(), client::clusterStatus,
        m.lookups, System::nanoTime);
    locator.seen(before);
    String boot = UUID.randomUUID().toString();
    long leaderIntervalMs = probe(SimAgent.registration(config, 0, boot + "-0"), locator, m.channels)
        .getHeartbeatMs();
    Duration interval = config.interval() != null ? config.interval()
        : Duration.ofMillis(leaderIntervalMs > 0 ? leaderIntervalMs : 500);
    SimStats stats = new SimStats(n);
    SimAgent.Shared shared = new SimAgent.Shared(config, m.channels, locator, m.gate, m.timer, stats,
        clientConfig.addresses().size(), config.idleTimeout(interval).toNanos());
    SimAgent[] agents = m.agents;
    for (int k = 0; k < n; k++) {
      agents[k] = new SimAgent(k, shared, boot + "-" + k, k);
    }
    long ttlNanos = TimeUnit.MILLISECONDS.toNanos(failover.getTtlMs());
    DownWatch watch = m.watch(new DownWatch(client, appliedIndex(before), config.nodePrefix(), agents, ttlNanos,
        System::nanoTime));

    long start = System.nanoTime() + START_LEAD_NANOS;
    long measureEnd = start + config.duration().toNanos();
    List<HeartbeatShard> shards = startShards(agents, new SendSchedule(start, interval.toNanos(), n), measureEnd, m);
    progress.accept(n + " agents as " + config.nodePrefix() + "-0.." + (n - 1) + ", a heartbeat every "
        + interval.toMillis() + " ms each (the leader asks for " + leaderIntervalMs + " ms), for "
        + config.duration().toSeconds() + " s; TTL " + failover.getTtlMs() + " ms");
    for (SimAgent a : agents) {
      m.gate.offer(a);
    }
    SimTasks tasks = new SimTasks(client, config);
    Thread submitter = config.tasksPerAgent() == 0 ? null : m.start("oag-sim-submit", () -> {
      try {
        tasks.submit(measureEnd);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    Double rampUp = measure(start, measureEnd, stats, shards, watch);
    watch.endMeasuring();
    m.gate.close();
    if (submitter != null) {
      submitter.join(TimeUnit.SECONDS.toMillis(5));   // its calls end with the measured phase
    }
    FleetSnapshot snap = FleetSnapshot.take(agents, client, watch, ttlNanos, locator);
    Ending.settleAcks(stats);
    AgentsReport.Heartbeats heartbeats = snap.heartbeats(shards, stats);
    long endStart = System.nanoTime();
    Ending ending = new Ending(agents, watch, tasks, progress);
    AgentsReport.End end = config.keep() ? ending.closeAll(endStart)
        : ending.retire(client, endStart, endStart + config.retireTimeout().toNanos());
    return new AgentsReport(config, interval.toMillis(), leaderIntervalMs, failover.getTtlMs(),
        config.duration().toNanos() / 1e9, snap.sessions(rampUp, stats, n, m.channels.open()), heartbeats,
        watch.verdicts(), new AgentsReport.Tasks(tasks.submittedCount(), snap.running(), ending.tasksStopped(),
        tasks.errors()), new AgentsReport.Leadership(blankToNull(before.getLeader()),
        before.getLeader().isEmpty() ? -1 : before.getTerm(), snap.leader(), snap.term(),
        failover.getStormGuardOn()), end);
  }

  /**
   * Waits out the measured phase, printing progress; returns the ramp-up: from {@code start}
   * until every agent had a session, null when some never had one.
   */
  private Double measure(long start, long end, SimStats stats, List<HeartbeatShard> shards, DownWatch watch)
      throws InterruptedException {
    Double rampUp = null;
    long nextProgress = start + PROGRESS_NANOS;
    while (true) {
      long now = System.nanoTime();
      if (now - end >= 0) {
        return rampUp;
      }
      long until = Math.min(end, nextProgress);
      if (rampUp == null && stats.awaitAllEstablished(until - now)) {
        rampUp = Math.max(0, System.nanoTime() - start) / 1e9;
        progress.accept("all " + config.agents() + " agents have a session after "
            + Math.round(rampUp * 10) / 10.0 + " s");
      } else if (rampUp != null) {
        LockSupport.parkNanos(until - now);
      }
      if (System.nanoTime() - nextProgress >= 0) {
        nextProgress += PROGRESS_NANOS;
        progress.accept(progressLine(start, stats, shards, watch));
      }
    }
  }

  private String progressLine(long start, SimStats stats, List<HeartbeatShard> shards, DownWatch watch) {
    long sent = 0;
    org.HdrHistogram.Histogram late = new org.HdrHistogram.Histogram(3);
    for (HeartbeatShard s : shards) {
      HeartbeatShard.Totals t = s.totals();
      sent += t.sent();
      late.add(t.lateMicros());
    }
    AgentsReport.Down d = watch.verdicts();
    return String.format(java.util.Locale.ROOT, "%ds: %d registered, %d had a session, %d heartbeats, late p99 %.1f ms"
        + ", %d reconnects, %d DOWN (%d false)", Math.round((System.nanoTime() - start) / 1e9),
        stats.registeredCount(), stats.everEstablished(config.agents()), sent,
        late.getValueAtPercentile(99) / 1000.0, stats.reconnects(), d.total(), d.falseDowns());
  }

  /** Registers {@code r} once, on this thread, to learn the leader's interval and fail fast. */
  private static RegisterReply probe(org.openautoglm.oag.agent.v1.RegisterRequest r, LeaderLocator locator,
      ChannelPool channels) {
    String target = locator.target(0, 0);
    try {
      return AgentServiceGrpc.newBlockingStub(channels.channel(target, 0)).withWaitForReady()
          .withDeadlineAfter(SimAgent.REGISTER_DEADLINE_MS, TimeUnit.MILLISECONDS).register(r);
    } catch (StatusRuntimeException e) {
      throw new BenchException("cannot register simulated agent " + r.getNodeId() + " with " + target + ": "
          + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
          : " " + e.getStatus().getDescription()), e);
    }
  }

  private List<HeartbeatShard> startShards(SimAgent[] agents, SendSchedule schedule, long recordUntil,
      Machinery m) {
    int shards = Math.min(config.senderThreads(), agents.length);
    List<HeartbeatShard> out = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      int[] mine = new int[(agents.length - s + shards - 1) / shards];
      for (int i = 0; i < mine.length; i++) {
        mine[i] = s + i * shards;
      }
      HeartbeatShard shard = new HeartbeatShard(mine, schedule, System::nanoTime, m.waiter,
          (k, measured) -> agents[k].beat(measured), recordUntil);
      out.add(shard);
      m.shardThreads.add(m.start("oag-sim-beat", shard));
    }
    return out;
  }

  /** The leader's applied index, or 0 (the whole retained log) when there is no leader. */
  static long appliedIndex(ClusterStatus s) {
    return s.getMembersList().stream().filter(m -> m.getId().equals(s.getLeader()))
        .mapToLong(Member::getAppliedIndex).findFirst().orElse(0);
  }

  static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Parks heartbeat shards until their due times; {@link #stop} ends them. */
  private static final class ShardWaiter implements HeartbeatShard.Waiter {
    private volatile boolean stopped;

    @Override
    public boolean awaitUntil(long nanos) {
      long left;
      while (!stopped && (left = nanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
      return !stopped;
    }

    void stop(List<Thread> threads) {
      stopped = true;
      for (Thread t : threads) {
        LockSupport.unpark(t);
      }
      for (Thread t : threads) {
        try {
          t.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Everything a run starts (threads, channels, the client, the agents' sessions), closed in
   * one place, in order: agents (their streams half-closed), the register gate, heartbeat
   * threads, the event stream, the client, channels, pools.
   */
  private static final class Machinery implements AutoCloseable {
    final CoordinatorClient client;
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("oag-sim-timer"));
    /** Cluster status calls may block for the client's whole retry budget: never on the timer. */
    final ExecutorService lookups = Executors.newSingleThreadExecutor(daemon("oag-sim-leader"));
    final ExecutorService grpc;
    final ChannelPool channels;
    final RegisterGate gate;
    final ShardWaiter waiter = new ShardWaiter();
    final List<Thread> shardThreads = new ArrayList<>();
    final SimAgent[] agents;
    private DownWatch watch;

    Machinery(AgentsConfig config, CoordinatorClient client) {
      this.client = client;
      this.grpc = Executors.newFixedThreadPool(Math.max(2, Math.min(8, 2 * config.senderThreads())),
          daemon("oag-sim-grpc"));
      this.channels = new ChannelPool(config.channels(), grpc);
      this.gate = new RegisterGate(config.registerConcurrency());
      this.agents = new SimAgent[config.agents()];
    }

    DownWatch watch(DownWatch w) {
      watch = w;
      return w;
    }

    Thread start(String name, Runnable r) {
      Thread t = daemon(name).newThread(r);
      t.start();
      return t;
    }

    @Override
    public void close() {
      for (SimAgent a : agents) {
        if (a != null) {
          a.close();
        }
      }
      gate.close();
      waiter.stop(shardThreads);
      if (watch != null) {
        watch.close();
      }
      client.close();
      channels.close();
      grpc.shutdownNow();
      timer.shutdownNow();
      lookups.shutdownNow();
    }
  }
}
