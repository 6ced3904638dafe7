package org.openautoglm.oag.chaos.cluster;

import static java.util.stream.Collectors.joining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.chaos.net.NetworkLab;

/**
 * The cluster under test: N coordinators as separate JVMs from the built {@link
 * Distribution}, each with its own data directory and a small heap, optionally each in its
 * own network namespace ({@link NetworkLab}), optionally with a small disk ({@link
 * SmallDisk}) and optionally with a wall clock the harness can jump ({@link FakeClock}); and
 * M agents ({@link AgentProcess}) from the same distribution, each with its own data
 * directory, dialling every coordinator (in their own namespaces when the coordinators have
 * theirs, so a firewall can cut an agent off).
 *
 * <p>In a namespace every node uses the same ports (API 7070, Raft 7080, HTTP 8080) on its
 * own address; on loopback each gets free ports. {@link #close()} ends every process this
 * cluster started, by pid (paused ones are continued first): agents first, then what they
 * left running (their task process groups and keepers, found by pid and start time in their
 * data directories), then the coordinators; then it unmounts and removes the namespaces. A
 * shutdown hook does the same when the harness JVM exits without closing. A harness killed
 * with SIGKILL runs no hook: the next run ends the processes it left in namespaces (see
 * {@link NetworkLab}); on loopback they stay.
 *
 * <p>Waiting is by condition, bounded: {@link #awaitReady}, {@link #awaitLeader}, {@link
 * #awaitConverged}. Thread-safe.
 */
public final class ChaosCluster implements AutoCloseable {
  private static final int API_PORT = 7070;
  /** Every node's Raft port when it runs in a namespace. */
  public static final int RAFT_PORT = 7080;
  private static final int HTTP_PORT = 8080;

  private final ClusterSpec spec;
  private final NetworkLab network;
  private final Map<String, CoordinatorProcess> nodes = new LinkedHashMap<>();
  private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
  private final Map<String, SmallDisk> disks = new LinkedHashMap<>();
  private final Thread cleanup = new Thread(this::destroy, "oag-chaos-cluster-cleanup");
  /** Asks the nodes for their status in parallel (each call may wait on a peer that is down). */
  private final ExecutorService statusCalls = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "oag-chaos-status");
    t.setDaemon(true);
    return t;
  });
  private boolean closed;

  private ChaosCluster(ClusterSpec spec, NetworkLab network) {
    this.spec = spec;
    this.network = network;
  }

  /** Starts every node and waits until they all answer and agree on a leader. */
  public static ChaosCluster start(ClusterSpec spec, Duration readyWithin) throws TimeoutException {
    ChaosCluster c = launch(spec);
    try {
      c.awaitReady(readyWithin);
    } catch (TimeoutException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Starts every node without waiting for them. */
  public static ChaosCluster launch(ClusterSpec spec) {
    if (spec.fakeClocks()) {
      FakeClock.unavailable().ifPresent(reason -> {
        throw new IllegalStateException("fake clocks unavailable: " + reason);
      });
    }
    List<String> ids = spec.ids();
    List<String> labNodes = new ArrayList<>(ids);
    labNodes.addAll(spec.agentIds());
    NetworkLab network = spec.isolatedNetwork() ? NetworkLab.create(labNodes) : null;
    ChaosCluster c = new ChaosCluster(spec, network);
    Runtime.getRuntime().addShutdownHook(c.cleanup);
    try {
      Files.createDirectories(spec.workDir());
      Distribution dist = Distribution.locate();
      c.create(dist, ids);
      c.createAgents(dist, spec.agentIds());
      c.nodes.values().forEach(CoordinatorProcess::start);
      // Agents retry until a coordinator answers: they need not wait for a leader.
      c.agents.values().forEach(AgentProcess::start);
    } catch (IOException e) {
      c.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void create(Distribution dist, List<String> ids) {
    Map<String, int[]> ports = new LinkedHashMap<>();
    Map<String, String> hosts = new LinkedHashMap<>();
    for (String id : ids) {
      hosts.put(id, network != null ? network.address(id) : "127.0.0.1");
      ports.put(id, network != null ? new int[] {API_PORT, RAFT_PORT, HTTP_PORT} : freePorts(3));
    }
    String peers = ids.stream()
        .map(id -> id + "=" + hosts.get(id) + ":" + ports.get(id)[1] + ":" + ports.get(id)[0])
        .collect(joining(","));
    for (String id : ids) {
      var dataDir = spec.workDir().resolve(id);
      Long diskBytes = spec.smallDisks().get(id);
      if (diskBytes != null) {
        disks.put(id, SmallDisk.mount(dataDir, diskBytes));
      }
      List<String> args = new ArrayList<>(List.of("coordinator", "--id", id, "--peers", peers,
          "--data", dataDir.toString(), "--http-port", Integer.toString(ports.get(id)[2])));
      args.addAll(spec.compaction().args());
      args.addAll(spec.coordinatorArgs());
      List<String> argv = dist.command(spec.jvmOptions(), args);
      if (network != null) {
        argv = network.inNamespace(id, argv);
      }
      // Beside the data directory, not in it: a wipe must not take the clock's file.
      FakeClock clock = spec.fakeClocks() ? new FakeClock(spec.workDir().resolve(id + ".faketime")) : null;
      nodes.put(id, new CoordinatorProcess(id, hosts.get(id), ports.get(id)[0], dataDir,
          spec.workDir().resolve(id + ".log"), argv, clock));
    }
  }

  private void createAgents(Distribution dist, List<String> ids) {
    for (String id : ids) {
      List<String> args = new ArrayList<>(List.of("agent", "--coordinators", clientAddresses(),
          "--node-id", id, "--data", spec.workDir().resolve(id).toString()));
      args.addAll(spec.agentArgs());
      List<String> argv = dist.command(ClusterSpec.AGENT_JVM, args);
      if (network != null) {
        argv = network.inNamespace(id, argv);
      }
      agents.put(id, new AgentProcess(id, spec.workDir().resolve(id), spec.workDir().resolve(id + ".log"),
          argv));
    }
  }

  /** What this cluster was started from. */
  public ClusterSpec spec() {
    return spec;
  }

  /** The agents, a1..aM; empty when the spec asked for none. */
  public List<AgentProcess> agents() {
    return List.copyOf(agents.values());
  }

  public AgentProcess agent(String id) {
    AgentProcess a = agents.get(id);
    if (a == null) {
      throw new IllegalArgumentException("no agent '" + id + "'");
    }
    return a;
  }

  public List<CoordinatorProcess> nodes() {
    return List.copyOf(nodes.values());
  }

  public CoordinatorProcess node(String id) {
    CoordinatorProcess n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node '" + id + "'");
    }
    return n;
  }

  /** Every node's API address, comma-separated, for a client. */
  public String clientAddresses() {
    return nodes.values().stream().map(CoordinatorProcess::apiAddress).collect(joining(","));
  }

  /** The namespaces and firewall, when this cluster has them. */
  public Optional<NetworkLab> network() {
    return Optional.ofNullable(network);
  }

  /** The node's small disk, when the spec gave it one. */
  public Optional<SmallDisk> disk(String id) {
    return Optional.ofNullable(disks.get(id));
  }

  /**
   * Undoes every fault a test or scenario may have left: removes every firewall rule, starts
   * what is not running (coordinators, agents), continues what is paused and sets every faked
   * wall clock back to real time. Waits for nothing.
   */
  public void restore() {
    if (network != null) {
      network.firewall().heal();
    }
    for (CoordinatorProcess n : nodes.values()) {
      n.clock().ifPresent(FakeClock::reset);
      if (!n.running()) {
        n.start();
      } else if (n.paused()) {
        n.resume();
      }
    }
    for (AgentProcess a : agents.values()) {
      if (!a.running()) {
        a.start();
      } else if (a.paused()) {
        a.resume();
      }
    }
  }

  /** Each running, unpaused node's own view of itself, by id; nodes that do not answer are absent. */
  public Map<String, NodeView> views() {
    Map<String, CompletableFuture<Optional<NodeView>>> asked = new TreeMap<>();
    for (CoordinatorProcess n : nodes.values()) {
      if (n.running() && !n.paused()) {
        asked.put(n.id(), CompletableFuture.supplyAsync(n::view, statusCalls));
      }
    }
    Map<String, NodeView> out = new TreeMap<>();
    asked.forEach((id, view) -> view.join().ifPresent(v -> out.put(id, v)));
    return out;
  }

  /** Waits until every node answers and all of them name the same leader. */
  public void awaitReady(Duration within) throws TimeoutException {
    Conditions.await(within, "every node up and agreeing on a leader", () -> {
      Map<String, NodeView> v = views();
      boolean ready = v.size() == nodes.size()
          && v.values().stream().map(NodeView::leader).distinct().count() == 1
          && !v.values().iterator().next().leader().isEmpty();
      return ready ? Optional.of(true) : Optional.empty();
    }, this::describe);
  }

  /**
   * Waits for a node that leads in the highest term any node reports (a paused or cut-off
   * old leader may still believe it leads in an older term).
   */
  public CoordinatorProcess awaitLeader(Duration within) throws TimeoutException {
    return Conditions.await(within, "a leader", () -> views().values().stream().filter(NodeView::leading)
        .max(Comparator.comparingLong(NodeView::term)).map(v -> nodes.get(v.id())), this::describe);
  }

  /**
   * Waits until every node reports the same applied index, and returns the digests they
   * reported at it (which a correct cluster has equal: callers check {@link
   * Convergence#sameDigest()}).
   */
  public Convergence awaitConverged(Duration within) throws TimeoutException {
    return Conditions.await(within, "every node at the same applied index", () -> {
      Map<String, NodeView> v = views();
      if (v.size() != nodes.size()
          || v.values().stream().map(NodeView::appliedIndex).distinct().count() != 1) {
        return Optional.empty();
      }
      Map<String, String> digests = new TreeMap<>();
      v.forEach((id, view) -> digests.put(id, view.digest()));
      return Optional.of(new Convergence(v.values().iterator().next().appliedIndex(), digests));
    }, this::describe);
  }

  /** One line per node: pid, role, term, applied index, digest (or why it did not answer). */
  public String describe() {
    Map<String, NodeView> v = views();
    StringBuilder b = new StringBuilder();
    for (CoordinatorProcess n : nodes.values()) {
      NodeView view = v.get(n.id());
      b.append(n.id()).append(" pid=").append(n.pid());
      if (!n.running()) {
        b.append(" not running");
      } else if (n.paused()) {
        b.append(" paused");
      } else if (view == null) {
        b.append(" not answering");
      } else {
        b.append(' ').append(view.role()).append(" term=").append(view.term())
            .append(" applied=").append(view.appliedIndex()).append(" digest=").append(view.digest());
      }
      b.append('\n');
    }
    for (AgentProcess a : agents.values()) {
      b.append(a.id()).append(" pid=").append(a.pid())
          .append(!a.running() ? " not running" : a.paused() ? " paused" : " running").append('\n');
    }
    return b.toString();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // shutting down already: the hook runs destroy() itself
    }
  }

  /** Ends every node, unmounts, removes the namespaces: each step runs even when one before it failed. */
  private void destroy() {
    RuntimeException failure = null;
    // Agents before coordinators, so that no agent is left to start anything meanwhile.
    for (AgentProcess a : agents.values()) {
      try {
        a.destroy();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    for (CoordinatorProcess n : nodes.values()) {
      try {
        n.destroy();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    for (SmallDisk d : disks.values()) {
      try {
        d.close();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    try {
      if (network != null) {
        network.close();
      }
    } catch (RuntimeException e) {
      failure = addTo(failure, e);
    }
    statusCalls.shutdownNow();
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /**
   * Distinct ports free a moment ago, below Linux's ephemeral range (32768 and up), so that no
   * outgoing connection's source port takes one before a node binds it or restarts on it.
   */
  private static int[] freePorts(int n) {
    int[] ports = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    Random random = new Random();
    try {
      for (int i = 0, tries = 0; i < n; tries++) {
        if (tries > 10_000) {
          throw new IllegalStateException("no free port in 20000-32767");
        }
        int port = 20_000 + random.nextInt(12_768);
        try {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
          ports[i++] = port;
        } catch (IOException taken) {
          // in use: try another
        }
      }
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // a probe socket
        }
      }
    }
    return ports;
  }
}
