package org.openautoglm.oag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.coordinator.MiniCluster;

/** `oag` commands against a real in-process 3-node cluster, as a user types them. */
class CliIT {
  @TempDir
  static Path dir;
  static MiniCluster cluster;


  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(dir, 3);
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static InProcessOag.Result oag(String... args) {
    return InProcessOag.run(cluster.addresses(), dir, "cli:it@test", args);
  }


  @Test
  void submitThenListShowsTheTaskAsJson() throws Exception {
    InProcessOag.Result submit = oag("task", "submit", "--name", "sleeper", "--cpu", "0.5", "--memory", "256Mi",
        "--", "sleep", "100");
    assertThat(submit.exit()).as(submit.err()).isZero();
    String id = submit.out().strip();
    assertThat(id).matches("t[0-9]+");

    InProcessOag.Result list = oag("task", "list", "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    JsonNode tasks = new ObjectMapper().readTree(list.out());
    JsonNode task = null;
    for (JsonNode t : tasks) {
      if (t.get("id").asText().equals(id)) {
        task = t;
      }
    }
    assertThat(task).as("task %s in %s", id, list.out()).isNotNull();
    assertThat(task.get("state").asText()).isEqualTo("PENDING");
    assertThat(task.get("name").asText()).isEqualTo("sleeper");
    assertThat(task.get("command").asText()).isEqualTo("sleep");
    assertThat(task.get("memoryMiB").asLong()).isEqualTo(256);

    InProcessOag.Result stop = oag("task", "stop", id);
    assertThat(stop.exit()).as(stop.err()).isZero();
    InProcessOag.Result get = oag("task", "get", id, "-o", "json");
    assertThat(new ObjectMapper().readTree(get.out()).get("state").asText()).isEqualTo("STOPPED");
  }

  @Test
  void badInputExitsTwoWithOneLineAndNoStackTrace() {
    InProcessOag.Result r = oag("task", "submit", "--cpu", "-1", "--", "sleep", "1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");

    InProcessOag.Result missing = oag("task", "get", "t424242");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().strip().lines()).hasSize(1);
  }

  @Test
  void clusterStatusShowsEveryMemberWithEqualDigests() throws Exception {
    oag("task", "submit", "--", "true");
    cluster.awaitConverged();
    InProcessOag.Result status = oag("cluster", "status", "-o", "json");
    assertThat(status.exit()).as(status.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(status.out());
    assertThat(s.get("leader").asText()).matches("c[123]");
    assertThat(s.get("members")).hasSize(3);
    assertThat(s.get("members").findValuesAsText("digest").stream().distinct()).hasSize(1);
    assertThat(s.get("members").findValuesAsText("role")).contains("LEADER");
  }
}
