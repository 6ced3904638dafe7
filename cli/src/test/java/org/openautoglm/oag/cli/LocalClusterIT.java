package org.openautoglm.oag.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * A real three-process cluster with three agent processes from {@code deploy/local-cluster.sh
 * --agents 3}, every agent offering {@value #AGENT_MEMORY} of memory ({@code OAG_AGENT_ARGS}).
 * The tests run in order, so the first sees a healthy cluster:
 *
 * <ol>
 *   <li>Placement by requests: 30 tasks of 400 MiB each fit only ten to a node, so all 30
 *       must run, ten on each agent; a task asking for 8 GiB, more than any node has, must
 *       stay PENDING with the reason as its message; and an agent started by the test itself
 *       ({@code a4}, offering 16 GiB) must get it. The test stops its tasks and its agent
 *       (SIGTERM by pid, then a bounded wait) before the next test.
 *   <li>Leader kill: the leader is killed with SIGKILL while a client keeps writing and the
 *       agents run tasks; a write must be accepted within 3 s, every write acknowledged before
 *       the kill must still be readable, every agent must heartbeat the new leader within 3 s,
 *       and the running tasks must not notice (same processes, no restarts).
 * </ol>
 *
 * <p>Both print their timings. Skipped unless {@code -Doag.it.localCluster=true}, and when any
 * conventional port (7070-7072, 7080-7082, 8080-8082) is taken. Needs the built distribution
 * ({@code cli/target/oag}); failsafe runs it after {@code package}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  private static final int N = 3;
  private static final int AGENTS = 3;
  private static final List<String> AGENT_IDS = List.of("a1", "a2", "a3");
  private static final String AGENT_MEMORY = "4Gi";
  private static final long AGENT_MEMORY_MIB = 4096;
  private static final String ADDRESSES = "127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072";

  private static Path root;
  private static Path data;
  private static boolean enabled;
  private static CoordinatorClient client;

  /** Tasks a test submitted that must not outlive it; stopped after each test. */
  private final List<String> started = new ArrayList<>();
  /** An agent a test started itself; stopped by pid after each test. */
  private Process ownAgent;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(Boolean.getBoolean("oag.it.localCluster"),
        "LocalClusterIT is off; run with -Doag.it.localCluster=true");
    root = repoRoot();
    assumeTrue(Files.isRegularFile(root.resolve("cli/target/oag/lib/oag-cli.jar")),
        "no distribution in cli/target/oag; run ./mvnw -pl cli -am package first");
    for (int k = 1; k <= N; k++) {
      for (int port : new int[] {7069 + k, 7079 + k, 8079 + k}) {
        assumeTrue(free(port), "port " + port + " is in use; LocalClusterIT needs the "
            + "conventional ports 7070-7072, 7080-7082 and 8080-8082 free");
      }
    }
    data = Files.createTempDirectory("oag-local-cluster-it");
    enabled = true;
    assertEquals(0, script("start"), "local-cluster.sh start failed; see " + data);
    client = CoordinatorClient.connect(ClientConfig.builder(ADDRESSES)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .build());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (client != null) {
      client.close();
    }
    if (enabled) {
      script("stop");
    }
  }

  @AfterEach
  void stopWhatTheTestStarted() throws InterruptedException {
    try {
      stopTasks(started);
    } finally {
      if (ownAgent != null) {
        stopByPid(ownAgent);
      }
    }
  }

  @Test
  @Order(1)
  void tasksSpreadByTheirRequestsAndATaskThatFitsNowhereRunsOnceANodeWithRoomJoins()
      throws Exception {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> ourAgents(client.listNodes()), n -> n.size() == AGENTS
            && n.stream().allMatch(x -> x.getConnected()
                && x.getCapacity().getMemoryMib() == AGENT_MEMORY_MIB));
    String spread = thirtyTasksRunTenToAnAgent();

    String big = client.submit(TaskSpec.command("sleep", "600").name("too-big")
        .memoryMiB(8192)).getId();
    started.add(big);
    Task waiting = await().atMost(Duration.ofSeconds(30))
        .until(() -> client.get(big), t -> !t.getMessage().isEmpty());
    assertEquals(TaskState.PENDING, waiting.getState(), waiting.getMessage());
    assertTrue(waiting.getMessage().contains("insufficient memory")
        && waiting.getMessage().contains("need 8192 MiB"), waiting.getMessage());

    long since = appliedIndex();
    long a4Start = System.nanoTime();
    ownAgent = startAgent("a4", "--memory", "16Gi");
    Task placed = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> client.get(big), t -> t.getState() == TaskState.RUNNING);
    long a4ToRunningMs = millisSince(a4Start);
    assertEquals("a4", placed.getNode(), placed.getMessage());

    List<Event> log = client.events(since, 1000);
    long registered = time(log, e -> e.getType().equals("node.registered")
        && e.getNode().equals("a4"), false);
    long scheduled = time(log, e -> e.getType().equals("task.scheduled")
        && e.getTaskId().equals(big), false);
    long running = time(log, e -> e.getType().equals("allocation.running")
        && e.getTaskId().equals(big), false);
    System.out.printf("LocalClusterIT: %s; the 8 GiB task waited (\"%s\"); a4 started to it "
        + "RUNNING on a4: %d ms (replicated: a4 registered to the task scheduled %d ms, to "
        + "allocation.running %d ms)%n", spread, waiting.getMessage(), a4ToRunningMs,
        scheduled - registered, running - registered);
  }

  /**
   * Submits 30 tasks of 400 MiB: ten fit in a node of 4096 MiB and an eleventh does not, so
   * all 30 run only when they are placed by their requests, ten on each agent. Returns how
   * long that took, in words.
   */
  private String thirtyTasksRunTenToAnAgent() {
    long since = appliedIndex();
    long submitted = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      started.add(client.submit(TaskSpec.command("sleep", "600").name("fit-" + i)
          .memoryMiB(400)).getId());
    }
    long submitMs = millisSince(submitted);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (String id : started) {
        Task t = client.get(id);
        assertEquals(TaskState.RUNNING, t.getState(), id + ": " + t.getMessage());
      }
    });
    long allRunningMs = millisSince(submitted);

    Map<String, Long> perNode = started.stream().map(id -> client.get(id).getNode())
        .collect(Collectors.groupingBy(node -> node, TreeMap::new, Collectors.counting()));
    assertEquals(Map.of("a1", 10L, "a2", 10L, "a3", 10L), perNode, "tasks per node");
    for (Node n : ourAgents(client.listNodes())) {
      assertEquals(4000, n.getUsed().getMemoryMib(), n.getId() + " memory used");
      assertTrue(n.getUsed().getMemoryMib() <= n.getCapacity().getMemoryMib(), n.getId());
      assertEquals(10, n.getTasks(), n.getId() + " tasks");
    }
    List<Event> log = client.events(since, 1000);
    long firstSubmitted = time(log, e -> e.getType().equals("task.submitted"), false);
    long lastScheduled = time(log, e -> e.getType().equals("task.scheduled"), true);
    long lastRunning = time(log, e -> e.getType().equals("allocation.running"), true);
    return String.format(Locale.ROOT, "30 tasks of 400 MiB submitted one after another in %d ms, "
        + "all RUNNING %d ms after the first submit (replicated: first submitted to last "
        + "scheduled %d ms, to last allocation.running %d ms), 10 on each of a1, a2, a3",
        submitMs, allRunningMs, lastScheduled - firstSubmitted, lastRunning - firstSubmitted);
  }

  @Test
  @Order(2)
  void killingTheLeaderLosesNoWriteAndDisturbsNoRunningTask() throws Exception {
    ClusterStatus before = await().atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(client::clusterStatus, s -> !s.getLeader().isEmpty());
    List<Node> agents = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> ourAgents(client.listNodes()), n -> n.size() == AGENTS);
    // 6% of an agent's CPU each: bin-packing fills one agent with 16 and puts the rest on
    // another.
    int cpuMillis = agents.get(0).getCapacity().getCpuMillis() * 6 / 100;
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      acknowledged.add(client.submit(TaskSpec.command("sleep", "1000").name("it-" + i)
          .cpuMillis(cpuMillis)).getId());
    }
    Map<String, Long> pids = new HashMap<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (String id : acknowledged) {
        Task t = client.get(id);
        assertEquals(TaskState.RUNNING, t.getState(), id + ": " + t.getMessage());
        pids.put(id, t.getAllocation().getPid());
      }
    });
    Set<String> used = acknowledged.stream().map(id -> client.get(id).getNode())
        .collect(Collectors.toSet());
    assertTrue(used.size() >= 2, "tasks run on more than one agent: " + used);

    String leader = before.getLeader();
    long pid = Long.parseLong(Files.readString(data.resolve(leader + ".pid")).strip());
    ProcessHandle leaderProcess = ProcessHandle.of(pid).orElseThrow();
    assertTrue(leaderProcess.destroyForcibly(), "SIGKILL to " + leader + " (pid " + pid + ")");
    long killed = System.nanoTime();
    CompletableFuture<Long> heard = agentsHeardByTheNewLeader(leader, killed);
    leaderProcess.onExit().get(10, TimeUnit.SECONDS);

    // The client that was already running (warm channels to every member) must get through.
    long start = System.nanoTime();
    acknowledged.add(client.submit(TaskSpec.command("sleep", "1000").name("after")
        .cpuMillis(cpuMillis)).getId());
    long ms = millisSince(start);
    assertTrue(ms <= 3_000, "first write after the leader's death took " + ms + " ms");

    long heardMs = heard.get(15, TimeUnit.SECONDS);
    System.out.printf("LocalClusterIT: the first write after the kill took %d ms; all %d agents heard "
        + "by the new leader %d ms after it%n", ms, AGENTS, heardMs);
    assertTrue(heardMs <= 3_000, "agents heartbeat the new leader " + heardMs + " ms after the kill");

    for (String id : acknowledged) {
      Task t = client.get(id);
      assertEquals(id, t.getId());
    }
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      Task t = client.get(e.getKey());
      assertEquals(TaskState.RUNNING, t.getState(), e.getKey());
      assertEquals(e.getValue(), t.getAllocation().getPid(), e.getKey() + " kept its process");
      assertEquals(0, t.getAllocation().getRestarts(), e.getKey() + " was not restarted");
      assertTrue(Files.exists(Path.of("/proc", Long.toString(e.getValue()))), "pid " + e.getValue());
    }
    String newLeader = client.clusterStatus().getLeader();
    assertFalse(newLeader.isEmpty() || newLeader.equals(leader), "new leader: " + newLeader);
  }

  /**
   * Completes with the milliseconds from {@code killed} until a new leader (not {@code dead})
   * has a session with every agent of the script and has heard from each; polled on a client
   * of its own so the writer's measurement is not disturbed.
   */
  private static CompletableFuture<Long> agentsHeardByTheNewLeader(String dead, long killed) {
    return CompletableFuture.supplyAsync(() -> {
      try (CoordinatorClient watcher = CoordinatorClient.connect(ClientConfig.builder(ADDRESSES)
          .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build())) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
            .until(() -> {
              List<Node> nodes = ourAgents(watcher.listNodes());
              return nodes.size() == AGENTS
                  && nodes.stream().allMatch(n -> n.getConnected() && n.getLastHeartbeatAgeMs() >= 0)
                  && !watcher.clusterStatus().getLeader().equals(dead);
            });
        return millisSince(killed);
      }
    });
  }

  /** The agents local-cluster.sh started (a1..a3), not one a test started itself. */
  private static List<Node> ourAgents(List<Node> nodes) {
    return nodes.stream().filter(n -> AGENT_IDS.contains(n.getId())).toList();
  }

  /** The leader's applied index, from which later events can be read. */
  private static long appliedIndex() {
    ClusterStatus s = client.clusterStatus();
    return s.getMembersList().stream().filter(m -> m.getId().equals(s.getLeader()))
        .mapToLong(Member::getAppliedIndex).findFirst().orElse(0);
  }

  /** The replicated time of the first ({@code last}: the last) of {@code events} that match. */
  private static long time(List<Event> events, Predicate<Event> which, boolean last) {
    LongStream times = events.stream().filter(which).mapToLong(Event::getTimeMs);
    OptionalLong t = last ? times.max() : times.min();
    assertTrue(t.isPresent(), "no such event among " + events.size() + " from the log");
    return t.getAsLong();
  }

  /**
   * An agent of this test's own, from the distribution, dialling the script's coordinators;
   * it stops its tasks when it is stopped. Its pid file follows local-cluster.sh's convention,
   * so the script's {@code stop} ends it too should this test's own stop not have run.
   */
  private static Process startAgent(String node, String... options) throws IOException {
    Path agentData = data.resolve(node);
    Files.createDirectories(agentData);
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/oag").toString(), "agent",
        "--coordinators", ADDRESSES, "--node-id", node, "--data", agentData.toString(),
        "--stop-tasks-on-exit"));
    command.addAll(List.of(options));
    Process p = new ProcessBuilder(command)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve(node + ".log").toFile()))
        .start();
    Files.writeString(data.resolve(node + ".pid"), p.pid() + "\n");
    return p;
  }

  /** SIGTERM, a bounded wait for the exit, then SIGKILL: the process ends either way. */
  private static void stopByPid(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Asks the cluster to stop every task in {@code ids} and waits (bounded) until each ended. */
  private static void stopTasks(List<String> ids) {
    for (String id : ids) {
      try {
        client.stop(id);
      } catch (RuntimeException e) {
        System.out.println("LocalClusterIT: stopping " + id + " failed: " + e);
      }
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ids.stream()
        .map(id -> client.get(id).getState())
        .allMatch(s -> s == TaskState.STOPPED || s == TaskState.SUCCEEDED
            || s == TaskState.FAILED || s == TaskState.LOST));
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static int script(String action) throws IOException, InterruptedException {
    File log = data.resolve("local-cluster-" + action + ".out").toFile();
    ProcessBuilder b = new ProcessBuilder(root.resolve("deploy/local-cluster.sh").toString(),
        action, "--coordinators", Integer.toString(N), "--agents", Integer.toString(AGENTS),
        "--data", data.toString())
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    b.environment().put("OAG_AGENT_ARGS", "--memory " + AGENT_MEMORY);
    Process p = b.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static Path repoRoot() {
    String given = System.getProperty("oag.repo.root");
    if (given != null) {
      return Path.of(given).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/local-cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
