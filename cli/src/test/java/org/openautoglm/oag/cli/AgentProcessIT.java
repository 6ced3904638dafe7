package org.openautoglm.oag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;
import org.openautoglm.oag.coordinator.MiniCluster;

/**
 * The agent as its own process (from the built distribution) beside an in-process cluster,
 * so it can be killed with SIGKILL and frozen with SIGSTOP: a restarted agent re-adopts its
 * running processes, and an agent that stops renewing its lease (frozen or dead) has its
 * exclusive work killed by the keeper while available work keeps running.
 *
 * <p>The cluster's lease is 2 s here, so a lapse is quick to wait for. Needs the distribution
 * ({@code cli/target/oag}); failsafe runs it after {@code package}.
 */
class AgentProcessIT {
  private static final Duration WITHIN = Duration.ofSeconds(30);
  @TempDir static Path dir;
  static MiniCluster cluster;
  static CoordinatorClient client;
  static Path lib;
  private final List<Process> agents = new ArrayList<>();
  private final List<Long> tasksToKill = new ArrayList<>();

  @BeforeAll
  static void start() {
    lib = repoRoot().resolve("cli/target/oag/lib");
    assumeTrue(Files.isRegularFile(lib.resolve("oag-cli.jar")),
        "no distribution in cli/target/oag; run ./mvnw -pl cli -am package first");
    cluster = MiniCluster.start(dir.resolve("cluster"), 3);
    cluster.awaitLeader();
    client = CoordinatorClient.connect(ClientConfig.builder(cluster.addresses()).build());
    // A short lease, so a frozen agent's exclusive work is killed quickly, and TTLs long
    // enough that an agent restarted or frozen here is not declared down meanwhile.
    client.setFailoverSettings(FailoverSettings.newBuilder().setLeaseMs(2_000).setTtlMs(10_000)
        .setAvailableTtlMs(10_000).build());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void endAgentsAndTheirProcesses() throws Exception {
    for (Process p : agents) {
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (long pid : tasksToKill) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Process agent(String node) throws IOException {
    Path data = dir.resolve(node);
    Files.createDirectories(data);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-cp", lib + File.separator + "*",
        "org.openautoglm.oag.cli.Main", "agent", "--coordinators", cluster.addresses(),
        "--node-id", node, "--data", data.toString(), "--heartbeat", "200ms")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(node + ".log").toFile()))
        .start();
    agents.add(p);
    return p;
  }

  private Task awaitRunning(String id) {
    return await().atMost(WITHIN).ignoreExceptions()
        .until(() -> client.get(id), t -> t.getState() == TaskState.RUNNING && t.getAllocation().getPid() > 0);
  }

  private String submit(String name, FencingMode fencing) {
    return client.submit(TaskSpec.command("sleep", "1000").name(name).fencing(fencing)).getId();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && !procState(pid).equals("Z");
  }

  private static String procState(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
    } catch (IOException e) {
      return "-";
    }
  }

  @Test
  void anAgentKilledWithSigkillAndStartedAgainReadoptsItsRunningTask() throws Exception {
    Process first = agent("p1");
    String id = submit("readopted", FencingMode.FENCING_AVAILABLE);
    long pid = awaitRunning(id).getAllocation().getPid();
    tasksToKill.add(pid);

    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(alive(pid)).isTrue();
    agent("p1");

    await().atMost(WITHIN).ignoreExceptions().until(() -> client.listNodes().stream()
        .anyMatch(n -> n.getId().equals("p1") && n.getConnected()));
    Task after = awaitRunning(id);
    assertThat(after.getAllocation().getPid()).isEqualTo(pid);
    assertThat(after.getAllocation().getRestarts()).isZero();
    assertThat(after.getAllocation().getGeneration()).isEqualTo(1);
    assertThat(alive(pid)).isTrue();
  }

  @Test
  void aFrozenAgentsExclusiveTaskIsKilledByTheKeeperAndItsAvailableTaskKeepsRunning() throws Exception {
    Process agent = agent("p2");
    String exclusive = submit("exclusive", FencingMode.FENCING_EXCLUSIVE);
    String available = submit("available", FencingMode.FENCING_AVAILABLE);
    long exclusivePid = awaitRunning(exclusive).getAllocation().getPid();
    long availablePid = awaitRunning(available).getAllocation().getPid();
    tasksToKill.addAll(List.of(exclusivePid, availablePid));

    // SIGSTOP freezes every thread of the agent's JVM, its lease renewals included.
    new ProcessBuilder("kill", "-STOP", Long.toString(agent.pid())).start().waitFor();
    await().atMost(WITHIN).until(() -> !alive(exclusivePid));
    assertThat(alive(availablePid)).isTrue();
    assertThat(Files.exists(dir.resolve("p2/leases").resolve(
        client.get(exclusive).getAllocation().getId() + ".killed"))).isTrue();

    new ProcessBuilder("kill", "-CONT", Long.toString(agent.pid())).start().waitFor();
    // The fenced generation ends LOST ("lease lapsed") and the task runs again in a new one.
    await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
      Task t = client.get(exclusive);
      assertThat(t.getState()).isEqualTo(TaskState.RUNNING);
      assertThat(t.getAllocation().getGeneration()).isGreaterThan(1);
      assertThat(t.getPreviousAllocations(0).getState()).isEqualTo(AllocationState.ALLOCATION_LOST);
      assertThat(t.getPreviousAllocations(0).getReason()).contains("lease lapsed");
    });
    tasksToKill.add(client.get(exclusive).getAllocation().getPid());
    assertThat(client.get(available).getState()).isEqualTo(TaskState.RUNNING);
    assertThat(client.get(available).getAllocation().getPid()).isEqualTo(availablePid);
  }

  @Test
  void aDeadAgentsExclusiveTaskDiesWithItsLease() throws Exception {
    Process agent = agent("p3");
    String exclusive = submit("exclusive-dead", FencingMode.FENCING_EXCLUSIVE);
    long pid = awaitRunning(exclusive).getAllocation().getPid();
    tasksToKill.add(pid);

    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    await().atMost(WITHIN).until(() -> !alive(pid));
  }

  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/local-cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
  }
}
