package org.openautoglm.oag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.Agent;
import org.openautoglm.oag.agent.AgentConfig;
import org.openautoglm.oag.coordinator.MiniCluster;

/**
 * The agent's tour as a user takes it, with `oag` commands against a real 3-node cluster and a
 * real agent running real processes: submit, kill -9 and restart, pause, resume, stop, logs,
 * nodes and events.
 */
class AgentCliIT {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  @TempDir static Path dir;
  static MiniCluster cluster;
  static Agent agent;


  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(dir.resolve("cluster"), 3);
    cluster.awaitLeader();
    agent = Agent.start(AgentConfig.builder("a1", Arrays.asList(cluster.addresses().split(",")),
            dir.resolve("a1"))
        .address("127.0.0.1")
        .stopTasksOnExit(true)
        .build());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    cluster.close();
  }

  private static InProcessOag.Result oag(String... args) {
    return InProcessOag.run(cluster.addresses(), dir, "cli:agent-it@test", args);
  }


  private static JsonNode task(String id) throws Exception {
    InProcessOag.Result r = oag("task", "get", id, "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  private static String submit(String... args) {
    InProcessOag.Result r = oag(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().strip();
  }

  /** The process state letter from /proc/PID/stat, or '-' when it is gone. */
  private static char procState(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return '-';
    }
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2);
  }

  private static long runningPid(String id, long not) throws Exception {
    long[] pid = {0};
    await().atMost(WITHIN).untilAsserted(() -> {
      JsonNode t = task(id);
      assertThat(t.get("state").asText()).isEqualTo("RUNNING");
      JsonNode p = t.get("allocation").get("pid");
      assertThat(p.isNull()).isFalse();
      assertThat(p.asLong()).isNotEqualTo(not);
      pid[0] = p.asLong();
    });
    return pid[0];
  }

  @Test
  void aTaskRunsRestartsAfterKillMinusNinePausesResumesAndStops() throws Exception {
    String id = submit("task", "submit", "--restart", "on-failure", "--", "sleep", "1000");
    long pid = runningPid(id, 0);
    assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))).startsWith("sleep\0");

    assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor()).isZero();
    long again = runningPid(id, pid);
    assertThat(task(id).get("allocation").get("restarts").asInt()).isEqualTo(1);
    await().atMost(WITHIN).until(() -> procState(pid) == '-');

    assertThat(oag("task", "pause", id).exit()).isZero();
    await().atMost(WITHIN).until(() -> procState(again) == 'T' && task(id).get("state").asText().equals("PAUSED"));

    assertThat(oag("task", "resume", id).exit()).isZero();
    await().atMost(WITHIN).until(() -> (procState(again) == 'S' || procState(again) == 'R')
        && task(id).get("state").asText().equals("RUNNING"));

    assertThat(oag("task", "stop", id).exit()).isZero();
    await().atMost(WITHIN).until(() -> procState(again) == '-' && task(id).get("state").asText().equals("STOPPED"));
  }

  @Test
  void logsShowWhatTheTaskPrinted() throws Exception {
    String id = submit("task", "submit", "--", "sh", "-c", "echo hello from the task; sleep 1000");
    runningPid(id, 0);
    await().atMost(WITHIN).untilAsserted(() -> {
      InProcessOag.Result logs = oag("task", "logs", id);
      assertThat(logs.exit()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("hello from the task");
    });
    assertThat(oag("task", "stop", id).exit()).isZero();
  }

  @Test
  void aCommandThatFailsEndsFailedWithItsExitCode() throws Exception {
    String id = submit("task", "submit", "--", "sh", "-c", "exit 3");
    await().atMost(WITHIN).untilAsserted(() -> {
      JsonNode t = task(id);
      assertThat(t.get("state").asText()).isEqualTo("FAILED");
      assertThat(t.get("allocation").get("exitCode").asInt()).isEqualTo(3);
    });
  }

  @Test
  void nodeListShowsTheAgentWithARecentHeartbeatAndEventsTellTheStory() throws Exception {
    await().atMost(WITHIN).untilAsserted(() -> {
      InProcessOag.Result nodes = oag("node", "list", "-o", "json");
      assertThat(nodes.exit()).as(nodes.err()).isZero();
      JsonNode a1 = null;
      for (JsonNode n : new ObjectMapper().readTree(nodes.out())) {
        if (n.get("id").asText().equals("a1")) {
          a1 = n;
        }
      }
      assertThat(a1).as(nodes.out()).isNotNull();
      assertThat(a1.toString()).contains("UP");
    });
    String id = submit("task", "submit", "--", "true");
    await().atMost(WITHIN).untilAsserted(() -> {
      InProcessOag.Result events = oag("events");
      assertThat(events.exit()).as(events.err()).isZero();
      assertThat(events.out()).contains("node.registered").contains(id).contains("task.succeeded");
    });
  }
}
