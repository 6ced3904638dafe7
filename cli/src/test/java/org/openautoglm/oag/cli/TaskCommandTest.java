package org.openautoglm.oag.cli;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.client.OagTrailers;

class TaskCommandTest extends CliTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void submitSendsEveryOptionAndCapturesTheCommandAfterDoubleDash() {
    Result r = oag("task", "submit", "--name", "serve", "--cpu", "0.5", "--memory", "1Gi",
        "--gpus", "1", "--restart", "on-failure", "--priority", "3",
        "--label", "type=inference", "--label", "model=glm-large", "--env", "A=1",
        "--request-id", "req-1", "--", "python3", "-u", "serve.py", "--port", "9000");

    assertEquals(0, r.exit(), r.err());
    assertEquals("t1\n", r.out());
    CreateTaskRequest req = (CreateTaskRequest) fake.requests.get(0);
    TaskSpec s = req.getSpec();
    assertEquals("python3", s.getCommand());
    assertEquals(List.of("-u", "serve.py", "--port", "9000"), s.getArgsList());
    assertEquals("serve", s.getName());
    assertEquals(500, s.getResources().getCpuMillis());
    assertEquals(1024, s.getResources().getMemoryMib());
    assertEquals(1, s.getResources().getGpus());
    assertEquals(RestartPolicy.RESTART_ON_FAILURE, s.getRestart());
    assertEquals(3, s.getPriority());
    assertEquals(Map.of("type", "inference", "model", "glm-large"), s.getLabelsMap());
    assertEquals(Map.of("A", "1"), s.getEnvMap());
    assertEquals(CLIENT_ID, req.getMeta().getClientId());
    assertEquals("req-1", req.getMeta().getRequestId());
  }

  @Test
  void createStoresWithoutStartingAndEachCallGetsAFreshRequestId() {
    assertEquals(0, oag("task", "create", "--", "sleep", "100").exit());
    assertEquals(0, oag("task", "create", "--", "sleep", "100").exit());
    Result start = oag("task", "start", "t1");

    assertEquals("t1 PENDING\n", start.out());
    assertEquals(3, fake.metas.size());
    assertEquals(3, fake.metas.stream().map(m -> m.getRequestId()).distinct().count());
    assertEquals("t1", ((TaskActionRequest) fake.requests.get(2)).getTaskId());
  }

  @Test
  void garbageMemoryIsAUsageErrorNamingTheOption() {
    Result r = oag("task", "submit", "--memory", "lots", "--", "sleep", "1");

    assertEquals(2, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("--memory"), r.err());
    assertTrue(r.err().startsWith("oag: "), r.err());
    assertTrue(fake.requests.isEmpty());
  }

  @Test
  void parseErrorsAreOneLineWithExitTwo() {
    for (String[] args : List.of(
        new String[] {"task", "submit"},
        new String[] {"task", "submit", "--bogus", "--", "x"},
        new String[] {"task", "submit", "--label", "novalue", "--", "x"},
        new String[] {"task", "submit", "--restart", "sometimes", "--", "x"},
        new String[] {"task", "submit", "--gpus", "-1", "--", "x"},
        new String[] {"task", "list", "--state", "SLEEPING"},
        new String[] {"task", "get"},
        new String[] {"task", "get", "t1", "--address", "nohostport"},
        new String[] {"task", "frobnicate"},
        new String[] {"task"},
        new String[] {})) {
      Result r = oag(args);
      assertEquals(2, r.exit(), String.join(" ", args) + " -> " + r.err());
      assertEquals(1, r.errLines().size(), String.join(" ", args) + " -> " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"task", "--help"},
        new String[] {"task", "submit", "--help"}, new String[] {"cluster", "status", "-h"},
        new String[] {"dev", "--help"}, new String[] {"coordinator", "--help"})) {
      Result r = oag(args);
      assertEquals(0, r.exit(), String.join(" ", args) + " -> " + r.err());
      assertTrue(r.out().startsWith("Usage: oag"), r.out());
    }
  }

  @Test
  void invalidArgumentFromTheServerIsExitTwo() {
    fake.alwaysFail(FakeCoordinator.Failure.with(
        Status.INVALID_ARGUMENT.withDescription("spec.command: must not be empty"),
        OagTrailers.FIELD, "spec.command"));

    Result r = oag("task", "submit", "--", "");

    assertEquals(2, r.exit());
    assertEquals("oag: spec.command: must not be empty\n", r.err());
  }

  @Test
  void notFoundIsExitOneWithOneLine() {
    Result r = oag("task", "get", "t42");

    assertEquals(1, r.exit());
    assertEquals("oag: task t42 not found\n", r.err());
  }

  @Test
  void failedPreconditionIsExitOne() {
    fake.alwaysFail(FakeCoordinator.Failure.of(
        Status.FAILED_PRECONDITION.withDescription("request id r1 was used for another request")));

    Result r = oag("task", "resume", "t1", "--request-id", "r1");

    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size());
  }

  @Test
  void debugAddsTheStackTrace() {
    Result r = oag("task", "get", "t42", "--debug");

    assertEquals(1, r.exit());
    assertTrue(r.errLines().size() > 1);
    assertTrue(r.err().contains("NotFoundException"), r.err());
  }

  @Test
  void getPrintsStableJsonFieldNames() throws Exception {
    fake.put(fullTask());

    Result r = oag("task", "get", "t7", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("id", "name", "state", "desired", "node", "command", "args", "cpu",
        "memoryMiB", "gpus", "restart", "labels", "priority", "createdAt", "updatedAt",
        "finishedAt", "version", "message"), names);
    assertEquals("RUNNING", j.get("state").asText());
    assertEquals("PAUSED", j.get("desired").asText());
    assertEquals("n1", j.get("node").asText());
    assertEquals(0.25, j.get("cpu").asDouble());
    assertEquals(300, j.get("memoryMiB").asLong());
    assertEquals("always", j.get("restart").asText());
    assertEquals("glm", j.get("labels").get("model").asText());
    assertEquals("2023-11-14T22:13:20Z", j.get("createdAt").asText());
    assertTrue(j.get("finishedAt").isNull());
    assertEquals("-c", j.get("args").get(0).asText());
  }

  @Test
  void getPrintsAHumanDetailByDefault() {
    fake.put(fullTask());

    Result r = oag("task", "get", "t7");

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("State:"), r.out());
    assertTrue(r.out().contains("sh -c echo hi"), r.out());
  }

  @Test
  void listPassesFiltersAndPrintsAJsonArray() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, oag("task", "submit", "--name", "job" + i, "--", "true").exit());
    }

    Result r = oag("task", "list", "-o", "json", "--state", "pending", "--name-prefix", "job",
        "--limit", "2", "--stale");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertTrue(j.isArray());
    assertEquals(2, j.size());
    ListTasksRequest req = (ListTasksRequest) fake.requests.get(3);
    assertEquals(List.of(TaskState.PENDING), req.getStatesList());
    assertEquals("job", req.getNamePrefix());
    assertEquals(ReadConsistency.STALE, req.getConsistency());
    Result table = oag("task", "list");
    assertTrue(table.out().startsWith("ID"), table.out());
    assertEquals(4, table.out().split("\n").length);
  }

  @Test
  void anUnreachableClusterIsExitOneAfterTheTimeout() {
    Result r = oag("task", "list", "--address", "nobody-listens:1", "--timeout", "1");

    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("gave up"), r.err());
  }

  @Test
  void addressOptionWinsOverTheEnvironment() {
    Result r = oagWithEnv(Map.of("OAG_ADDR", "127.0.0.1:1"),
        "task", "submit", "--address", address, "--", "true");

    assertEquals(0, r.exit(), r.err());
  }

  private static Task fullTask() {
    return Task.newBuilder().setId("t7")
        .setSpec(TaskSpec.newBuilder().setName("echo").setCommand("sh")
            .addArgs("-c").addArgs("echo hi")
            .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryMib(300))
            .setRestart(RestartPolicy.RESTART_ALWAYS).putLabels("model", "glm").setPriority(2))
        .setState(TaskState.RUNNING).setDesired(DesiredState.DESIRED_PAUSED).setNode("n1")
        .setCreatedAtMs(1_700_000_000_000L).setUpdatedAtMs(1_700_000_001_000L)
        .setVersion(42).setMessage("running on n1").build();
  }
}
