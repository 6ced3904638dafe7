package org.openautoglm.oag.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.agent.host.GroupSampler;
import org.openautoglm.oag.agent.gpu.NvidiaSmi;
import org.openautoglm.oag.agent.host.HostCapacity;
import org.openautoglm.oag.agent.host.HostSampler;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.lease.KeeperProcess;
import org.openautoglm.oag.agent.ready.ReadinessProber;
import org.openautoglm.oag.agent.session.CoordinatorLink;
import org.openautoglm.oag.agent.session.FileLogReader;
import org.openautoglm.oag.agent.session.LeaseListener;
import org.openautoglm.oag.agent.session.LinkSettings;
import org.openautoglm.oag.agent.session.LogSink;
import org.openautoglm.oag.agent.session.LogStreamer;
import org.openautoglm.oag.agent.session.SessionHandler;
import org.openautoglm.oag.agent.supervisor.ProcessLauncher;
import org.openautoglm.oag.agent.supervisor.SupervisorOptions;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.Capacity;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.Gpu;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.agent.v1.RegisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: supervises this host's allocations as the leader's desired set asks, and keeps
 * one session with the leader (register, inventory, heartbeats with metrics, acks that renew
 * the lease, log requests).
 *
 * <p>Lifecycle: {@link #start} detects the host's capacity, picks a random boot id, and
 * returns once its threads run; connecting happens in the background and is retried forever,
 * so an agent can start before any coordinator does. {@link #close()} ends the session; the
 * processes keep running (each in its own session and process group) unless {@link
 * AgentConfig#stopTasksOnExit()}, in which case it stops every allocation first, each with its
 * grace period, and reports the result in a last heartbeat.
 *
 * <p>Embedding: no static state, no {@code System.exit}, no signal handlers; every thread is a
 * daemon named after the node id. Several agents may run in one JVM, each with its own {@link
 * AgentConfig#nodeId()} and {@link AgentConfig#dataDir()} (two agents must never share a data
 * dir).
 *
 * <p>Threading: thread-safe. Threads per agent: the session ({@code oag-agent-link-NODE}, also
 * gRPC's callback executor), the supervision loop ({@code oag-agent-supervise-NODE}), one for
 * log polling and GPU sampling ({@code oag-agent-aux-NODE}), a few for readiness checks
 * ({@code oag-agent-ready-NODE-N}, see {@link ReadinessProber}), and short-lived ones for
 * stops that wait out a grace period.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** nvidia-smi runs a process per call; GPU memory per process need not be fresher. */
  private static final Duration GPU_SAMPLE = Duration.ofSeconds(5);

  private final AgentConfig config;
  private final String bootId;
  private final HostCapacity capacity;
  private final ScheduledExecutorService supervision;
  private final ScheduledExecutorService aux;
  private final ExecutorService stopper;
  private final ReadinessProber readiness;
  private final Reconciler reconciler;
  private final LogStreamer logs;
  private final CoordinatorLink link;
  private final AtomicBoolean stepQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Agent(AgentConfig config, LeaseListener leaseListener) throws IOException {
    this.config = config;
    this.bootId = UUID.randomUUID().toString();
    Files.createDirectories(config.dataDir());
    String node = config.nodeId();
    // Checked before any thread exists, so a bad address leaks nothing.
    LinkSettings linkSettings = new LinkSettings(node, bootId,
        config.coordinators(), config.heartbeat(), config.reconnectMin(), config.reconnectMax(),
        config.sessionIdleTimeout());
    ProcFs proc = ProcFs.host();
    NvidiaSmi nvidia = NvidiaSmi.onPath();
    this.capacity = HostCapacity.detect(proc, nvidia);
    this.supervision = Executors.newSingleThreadScheduledExecutor(daemon("oag-agent-supervise-" + node));
    this.aux = Executors.newSingleThreadScheduledExecutor(daemon("oag-agent-aux-" + node));
    this.stopper = Executors.newCachedThreadPool(daemon("oag-agent-stop-" + node));
    // A readiness flip is a change like a state change: a step soon, which sends a heartbeat.
    this.readiness = new ReadinessProber(node, this::stepSoon);
    GroupSampler sampler = new GroupSampler(proc, System::nanoTime, GroupSampler.DEFAULT_MAX_AGE);
    this.reconciler = new Reconciler(node, config.dataDir(), new ProcessLauncher(proc),
        SupervisorOptions.defaults().withSampler(sampler), new Fencing(),
        config.defaultStopGrace(), stopper, readiness, this::stepSoon);
    this.logs = new LogStreamer(aux, config.logPoll(), reconciler, FileLogReader.OPENER);
    HeartbeatSource reports = new HeartbeatSource(new HostSampler(proc));
    this.link = new CoordinatorLink(linkSettings, registration(), new Handler(reports),
        deadline -> {
          reconciler.renewLeases(deadline);
          leaseListener.renewed(deadline);
        });
    if (!capacity.gpus().isEmpty()) {
      aux.scheduleWithFixedDelay(() -> sampler.gpu(nvidia.processes(), nvidia.processUtilization()),
          0, GPU_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Exclusive allocations' view of this agent: its lease and its keeper. */
  private final class Fencing implements FencedSupervisors.Fencing {
    @Override
    public OptionalLong leaseDeadlineNanos() {
      return link.leaseDeadlineNanos();
    }

    @Override
    public void ensureKeeper() throws IOException {
      KeeperProcess.ensureRunning(config.dataDir(), ProcessHandle.current().pid());
    }
  }

  /** Starts an agent whose lease renewals nobody listens to; see {@link #start(AgentConfig, LeaseListener)}. */
  public static Agent start(AgentConfig config) throws IOException {
    return start(config, LeaseListener.NONE);
  }

  /**
   * Starts an agent: capacity detection, the supervision loop, and connecting to the
   * coordinators in the background. {@code leaseListener} hears every lease renewal.
   *
   * @throws IOException when the data dir cannot be created
   */
  public static Agent start(AgentConfig config, LeaseListener leaseListener) throws IOException {
    Agent agent = new Agent(config, leaseListener);
    try {
      agent.reconciler.adoptExisting(System.nanoTime());
    } catch (IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
    agent.supervision.scheduleWithFixedDelay(agent::step, 0, config.supervisionStep().toNanos(),
        TimeUnit.NANOSECONDS);
    agent.link.start();
    log.info("event=agent_started node={} boot={} cores={} memory_mib={} gpus={} data={} "
        + "coordinators={}", config.nodeId(), agent.bootId, agent.capacity.cores(),
        agent.capacity.memoryMiB(), agent.capacity.gpus().size(), config.dataDir(),
        String.join(",", config.coordinators()));
    return agent;
  }

  public String nodeId() {
    return config.nodeId();
  }

  /** Random per start; the leader tells a restarted agent from a second one by it. */
  public String bootId() {
    return bootId;
  }

  public AgentConfig config() {
    return config;
  }

  public HostCapacity capacity() {
    return capacity;
  }

  /** The lease deadline on {@link System#nanoTime()}'s clock; empty before the first ack. */
  public OptionalLong leaseDeadlineNanos() {
    return link.leaseDeadlineNanos();
  }

  /** The highest leader term this agent has seen. */
  public long maxTermSeen() {
    return link.maxTermSeen();
  }

  /** The coordinator of the established session, if there is one. */
  public Optional<String> connectedTo() {
    return link.connectedTo();
  }

  /** Every allocation as of the last supervision step, without metrics. */
  public List<AllocationStatus> allocations() {
    return HeartbeatSource.inventory(reconciler.snapshot());
  }

  /**
   * Ends the session and stops the agent's threads; with {@link
   * AgentConfig#stopTasksOnExit()} stops every allocation first and waits for that (each
   * within its grace period). Idempotent; blocks until done.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (config.stopTasksOnExit()) {
      stopEverything();
    }
    link.close();
    logs.close();
    // Not shutdownNow: an interrupt would cut a launch or a stop short; the periodic step
    // is cancelled by shutdown, and a step in progress finishes.
    supervision.shutdown();
    aux.shutdownNow();
    stopper.shutdown();
    awaitQuietly(supervision);
    readiness.close();
    log.info("event=agent_closed node={} boot={} stopped_tasks={}", config.nodeId(), bootId,
        config.stopTasksOnExit());
  }

  private void stopEverything() {
    reconciler.stopAll();
    // Bounded: every stop ends within its grace plus the supervisor's kill wait.
    long deadline = System.nanoTime() + reconciler.longestGrace().plusSeconds(10).toNanos();
    while (!reconciler.allFinal() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (!reconciler.allFinal()) {
      log.warn("event=agent_stop_incomplete node={} reason=\"allocations still running\"",
          config.nodeId());
    }
    try {
      link.heartbeatNow().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("event=last_heartbeat_not_sent node={}", config.nodeId(), e);
    }
  }

  private void step() {
    stepQueued.set(false);
    try {
      if (reconciler.step(System.nanoTime())) {
        link.heartbeatNow();
      }
    } catch (RuntimeException e) {
      // Never let the periodic task die: the next step tries again.
      log.error("event=supervision_step_failed node={}", config.nodeId(), e);
    }
  }

  /** Asks for a step as soon as the loop is free (a new desired set, a finished stop). */
  private void stepSoon() {
    if (stepQueued.compareAndSet(false, true)) {
      try {
        supervision.execute(this::step);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closing.
      }
    }
  }

  private RegisterRequest registration() {
    Capacity.Builder c = Capacity.newBuilder()
        .setCpuMillis(config.cpuMillis() > 0 ? (int) config.cpuMillis() : capacity.cores() * 1000)
        .setMemoryMib(config.memoryMib() > 0 ? config.memoryMib() : capacity.memoryMiB());
    for (org.openautoglm.oag.agent.gpu.Gpu g : capacity.gpus()) {
      c.addGpus(Gpu.newBuilder().setIndex(g.index()).setModel(g.model())
          .setMemoryMib(g.memoryMiB()).setUuid(g.uuid()));
    }
    return RegisterRequest.newBuilder()
        .setNodeId(config.nodeId())
        .setBootId(bootId)
        .setAddress(config.address())
        .setCapacity(c)
        .putAllLabels(config.labels())
        .build();
  }

  /** The session's side of the agent; runs on the link thread. */
  private final class Handler implements SessionHandler {
    private final HeartbeatSource reports;

    Handler(HeartbeatSource reports) {
      this.reports = reports;
    }

    @Override
    public List<AllocationStatus> inventory() {
      return HeartbeatSource.inventory(reconciler.snapshot());
    }

    @Override
    public Heartbeat.Builder heartbeat() {
      return reports.heartbeat(reconciler.snapshot());
    }

    @Override
    public void desiredSet(long term, DesiredSet set) {
      reconciler.offer(term, set);
    }

    @Override
    public void logRequest(LogRequest request, LogSink sink) {
      logs.handle(request, sink);
    }

    @Override
    public void sessionEnded() {
      logs.sessionEnded();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
      t.setDaemon(true);
      return t;
    };
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
