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
import org.openautoglm.oag.api.v1.Allocation;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Migration;
import org.openautoglm.oag.api.v1.Readiness;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.ProcessMetrics;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.Thresholds;
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
  void submitSendsFencingThresholdsAndStopGrace() {
    Result r = oag("task", "submit", "--fencing", "available", "--max-memory", "2Gi",
        "--max-cpu", "150%", "--for", "1m30s", "--max-runtime", "2h", "--on-threshold", "kill",
        "--stop-grace", "2.5s", "--", "serve");

    assertEquals(0, r.exit(), r.err());
    TaskSpec s = ((CreateTaskRequest) fake.requests.get(0)).getSpec();
    assertEquals(FencingMode.FENCING_AVAILABLE, s.getFencing());
    assertEquals(Thresholds.newBuilder().setMaxMemoryMib(2048).setMaxCpuPercent(150)
        .setCpuForMs(90_000).setMaxRuntimeMs(7_200_000).setKill(true).build(), s.getThresholds());
    assertEquals(2500, s.getStopGraceMs());
  }

  @Test
  void submitSendsConstraintsAndSpreadAndRefusesAMalformedConstraint() {
    Result r = oag("task", "submit", "--constraint", "gpu.model=H100", "--constraint", "zone!=a",
        "--spread", "--", "serve");

    assertEquals(0, r.exit(), r.err());
    TaskSpec s = ((CreateTaskRequest) fake.requests.get(0)).getSpec();
    assertEquals(List.of("gpu.model=H100", "zone!=a"), s.getConstraintsList());
    assertEquals(org.openautoglm.oag.api.v1.PlacementStrategy.PLACEMENT_SPREAD, s.getPlacement());

    Result bad = oag("task", "submit", "--constraint", "zone", "--", "serve");
    assertEquals(2, bad.exit());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains("--constraint"), bad.err());
  }

  @Test
  void submitSendsAReadinessCheckAndMovable() {
    Result tcp = oag("task", "submit", "--movable", "--ready-tcp", "8080", "--ready-period", "500ms",
        "--ready-timeout", "2s", "--", "serve");
    Result cmd = oag("task", "submit", "--ready-cmd", "  curl -f  http://127.0.0.1:8080/health ", "--", "serve");

    assertEquals(0, tcp.exit(), tcp.err());
    TaskSpec s = ((CreateTaskRequest) fake.requests.get(0)).getSpec();
    assertTrue(s.getMovable());
    assertEquals(Readiness.newBuilder().setTcpPort(8080).setPeriodMs(500).setTimeoutMs(2_000).build(),
        s.getReadiness());
    assertEquals(0, cmd.exit(), cmd.err());
    TaskSpec c = ((CreateTaskRequest) fake.requests.get(1)).getSpec();
    assertEquals(List.of("curl", "-f", "http://127.0.0.1:8080/health"), c.getReadiness().getCommandList());
    assertEquals(0, c.getReadiness().getTcpPort());
    assertFalse(c.getMovable());
  }

  @Test
  void badReadinessOptionsAreOneLineUsageErrors() {
    // The option the error must name, then the arguments.
    for (List<String> c : List.of(
        List.of("--ready-tcp", "--ready-tcp", "8080", "--ready-cmd", "true"),
        List.of("--ready-tcp", "--ready-tcp", "0"),
        List.of("--ready-tcp", "--ready-tcp", "65536"),
        List.of("--ready-tcp", "--ready-tcp", "http"),
        List.of("--ready-cmd", "--ready-cmd", "   "),
        List.of("--ready-period", "--ready-period", "1s"),
        List.of("--ready-timeout", "--ready-timeout", "1s"),
        List.of("--ready-period", "--ready-tcp", "80", "--ready-period", "often"))) {
      List<String> line = new ArrayList<>(List.of("task", "submit"));
      line.addAll(c.subList(1, c.size()));
      line.addAll(List.of("--", "serve"));
      Result r = oag(line.toArray(new String[0]));
      String what = line + " -> " + r.err();
      assertEquals(2, r.exit(), what);
      assertEquals(1, r.errLines().size(), what);
      assertTrue(r.err().contains(c.get(0)), what);
      assertFalse(r.err().contains("Exception"), what);
    }
    assertTrue(fake.requests.isEmpty());
  }

  @Test
  void getShowsReadinessMovableAndAMigrationUnderWay() throws Exception {
    Task t = fullTask();
    Allocation old = t.getAllocation().toBuilder().setReady(true).clearMetrics().build();
    fake.put(t.toBuilder()
        .setSpec(t.getSpec().toBuilder().setMovable(true).setReadiness(Readiness.newBuilder().setTcpPort(8080)))
        .setAllocation(t.getAllocation().toBuilder().setId("a8").setGeneration(4).setNode("n2").clearMetrics())
        .setMigration(Migration.newBuilder().setFromNode("n1").setReason("drain")
            .setStartedAtMs(1_700_000_002_000L).setMakeBeforeBreak(true).setOld(old)
            .setBlocked(""))
        .build());

    Result r = oag("task", "get", "t7");
    JsonNode j = JSON.readTree(oag("task", "get", "t7", "-o", "json").out());

    assertEquals(0, r.exit(), r.err());
    assertRow(r.out(), "Readiness:", "tcp 8080, every 1s, timeout 1s");
    assertRow(r.out(), "Movable:", "yes");
    assertRow(r.out(), "  Ready:", "no");
    assertRow(r.out(), "Migration:", "drain from n1, make-before-break");
    assertRow(r.out(), "  Started:", "2023-11-14T22:13:22Z");
    assertRow(r.out(), "  Blocked:", "-");
    assertRow(r.out(), "  Handover:", "-");
    assertRow(r.out(), "  Old:", "n1 RUNNING, placed 2023-11-14T22:13:20.500Z");
    assertTrue(r.out().contains("Allocation:  a8 (generation 4)"), r.out());
    assertEquals(8080, j.get("readiness").get("tcpPort").asInt());
    assertTrue(j.get("readiness").get("periodMs").isNull());
    assertTrue(j.get("movable").asBoolean());
    JsonNode m = j.get("migration");
    assertEquals("n1", m.get("fromNode").asText());
    assertEquals("make-before-break", m.get("mode").asText());
    assertTrue(m.get("old").get("ready").asBoolean());
    assertFalse(j.get("allocation").get("ready").asBoolean());
    assertTrue(m.get("handedOverAt").isNull());
    assertTrue(m.get("blocked").isNull());
  }

  @Test
  void getOfATaskNotMovingHasNoMigrationAndNoCheck() throws Exception {
    fake.put(fullTask());

    Result r = oag("task", "get", "t7");
    JsonNode j = JSON.readTree(oag("task", "get", "t7", "-o", "json").out());

    assertRow(r.out(), "Readiness:", "-");
    assertRow(r.out(), "Movable:", "no");
    assertFalse(r.out().contains("Migration:"), r.out());
    assertTrue(j.get("readiness").isNull());
    assertTrue(j.get("migration").isNull());
  }

  @Test
  void withoutLimitOptionsTheSpecCarriesNone() {
    Result r = oag("task", "create", "--max-runtime", "90", "--", "serve");

    assertEquals(0, r.exit(), r.err());
    TaskSpec s = ((CreateTaskRequest) fake.requests.get(0)).getSpec();
    assertEquals(Thresholds.newBuilder().setMaxRuntimeMs(90_000).build(), s.getThresholds());
    assertEquals(FencingMode.FENCING_MODE_UNSPECIFIED, s.getFencing());
    assertEquals(0, s.getStopGraceMs());
  }

  @Test
  void badLimitValuesAreUsageErrorsNamingTheOption() {
    // The option the error must name, then the arguments.
    for (List<String> c : List.of(
        List.of("--fencing", "--fencing", "loose"),
        List.of("--max-memory", "--max-memory", "lots"),
        List.of("--max-cpu", "--max-cpu", "0", "--for", "30s"),
        List.of("--max-cpu", "--max-cpu", "fast", "--for", "30s"),
        List.of("--for", "--max-cpu", "150"),
        List.of("--max-cpu", "--for", "30s"),
        List.of("--for", "--max-cpu", "150", "--for", "soon"),
        List.of("--max-runtime", "--max-runtime", "0s"),
        List.of("--max-runtime", "--max-runtime", "5x"),
        List.of("--on-threshold", "--on-threshold", "explode"),
        List.of("--stop-grace", "--stop-grace", "-1s"))) {
      List<String> line = new ArrayList<>(List.of("task", "submit"));
      line.addAll(c.subList(1, c.size()));
      line.addAll(List.of("--", "serve"));
      Result r = oag(line.toArray(new String[0]));
      String what = line + " -> " + r.err();
      assertEquals(2, r.exit(), what);
      assertEquals(1, r.errLines().size(), what);
      assertTrue(r.err().contains(c.get(0)), what);
      assertFalse(r.err().contains("Exception"), what);
    }
    assertTrue(fake.requests.isEmpty());
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
        new String[] {"task", "submit", "--help"}, new String[] {"task", "logs", "--help"},
        new String[] {"node", "list", "--help"}, new String[] {"events", "--help"},
        new String[] {"cluster", "status", "-h"},
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
        "finishedAt", "version", "message", "fencing", "thresholds", "stopGraceMs",
        "constraints", "placement", "allocation", "previousAllocations", "previousAllocationsDropped",
        "readiness", "movable", "migration"), names);
    assertEquals(0, j.get("previousAllocations").size());
    JsonNode a = j.get("allocation");
    List<String> allocationNames = new ArrayList<>();
    a.fieldNames().forEachRemaining(allocationNames::add);
    assertEquals(List.of("id", "generation", "node", "state", "pid", "restarts", "exited",
        "exitCode", "placedAt", "startedAt", "endedAt", "reason", "metrics", "ready"), allocationNames);
    assertEquals("RUNNING", a.get("state").asText());
    assertEquals(4242, a.get("pid").asLong());
    assertTrue(a.get("exitCode").isNull(), "no exit code while it runs");
    assertEquals(12.5, a.get("metrics").get("cpuPercent").asDouble());
    assertEquals(300, a.get("metrics").get("rssMiB").asLong());
    assertEquals("available", j.get("fencing").asText());
    assertEquals(2048, j.get("thresholds").get("maxMemoryMiB").asLong());
    assertTrue(j.get("thresholds").get("maxRuntimeMs").isNull());
    assertEquals("restart", j.get("thresholds").get("onThreshold").asText());
    assertEquals(30_000, j.get("stopGraceMs").asLong());
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
    assertTrue(r.out().contains("Fencing:     available"), r.out());
    assertTrue(r.out().contains("Thresholds:  memory 2Gi, cpu 150% for 30s; then restart"),
        r.out());
    assertTrue(r.out().contains("Stop grace:  30s"), r.out());
    assertTrue(r.out().contains("Allocation:  a7 (generation 3)"), r.out());
    assertTrue(r.out().contains("  PID:       4242"), r.out());
    assertTrue(r.out().contains("  Restarts:  1"), r.out());
    assertTrue(r.out().contains("  CPU:       12.5%"), r.out());
    assertTrue(r.out().contains("  RSS:       300Mi"), r.out());
    assertFalse(r.out().contains("Exit code:"), r.out());
  }

  @Test
  void getShowsTheExitCodeOfAnExitedAllocationAndDashesForAFollowersAnswer() {
    Task t = fullTask();
    fake.put(t.toBuilder().setAllocation(t.getAllocation().toBuilder()
        .setState(AllocationState.ALLOCATION_EXITED).setExited(true).setExitCode(3)
        .setEndedAtMs(1_700_000_009_000L).setReason("exited with 3").clearMetrics()).build());

    Result r = oag("task", "get", "t7");

    assertEquals(0, r.exit(), r.err());
    assertRow(r.out(), "  Exit code:", "3");
    assertRow(r.out(), "  State:", "EXITED");
    assertRow(r.out(), "  CPU:", "-");
    assertRow(r.out(), "  Ended:", "2023-11-14T22:13:29Z");
    assertRow(r.out(), "  Reason:", "exited with 3");
  }

  @Test
  void getWithoutAnAllocationSaysSo() {
    fake.put(fullTask().toBuilder().clearAllocation().build());

    Result r = oag("task", "get", "t7");
    Result json = oag("task", "get", "t7", "-o", "json");

    assertTrue(r.out().contains("Allocation:  -"), r.out());
    assertTrue(json.out().contains("\"allocation\" : null"), json.out());
  }

  @Test
  void listShowsTheAllocationsNodeWhileTheTaskHasNone() {
    fake.put(fullTask().toBuilder().setNode("").build());

    Result r = oag("task", "list");

    assertEquals(0, r.exit(), r.err());
    String row = r.out().split("\n")[1];
    assertTrue(row.matches("t7\\s+echo\\s+RUNNING\\s+PAUSED\\s+n1\\s+.*"), row);
  }

  @Test
  void getListsEveryAllocationOldestFirstWithWhyEachEnded() throws Exception {
    Task t = fullTask();
    fake.put(t.toBuilder().setPreviousAllocationsDropped(1)
        .addPreviousAllocations(Allocation.newBuilder().setId("a7-2").setGeneration(2).setNode("n2")
            .setState(AllocationState.ALLOCATION_FAILED).setExited(true).setExitCode(1)
            .setPlacedAtMs(1_700_000_000_000L).setStartedAtMs(1_700_000_000_100L)
            .setEndedAtMs(1_700_000_000_400L).setReason("restart budget exhausted"))
        .build());

    Result r = oag("task", "get", "t7");
    JsonNode j = JSON.readTree(oag("task", "get", "t7", "-o", "json").out());

    assertEquals(0, r.exit(), r.err());
    assertRow(r.out(), "History:", "2 allocations (1 older not kept)");
    assertRow(r.out(), "  #2:", "n2 FAILED, placed 2023-11-14T22:13:20Z, started 2023-11-14T22:13:20.100Z, "
        + "ended 2023-11-14T22:13:20.400Z, exit 1: restart budget exhausted");
    assertRow(r.out(), "  #3:", "n1 RUNNING, placed 2023-11-14T22:13:20.500Z, started 2023-11-14T22:13:21Z, ended -");
    assertTrue(r.out().indexOf("  #2:") < r.out().indexOf("  #3:"), r.out());
    assertEquals("FAILED", j.get("previousAllocations").get(0).get("state").asText());
    assertEquals(1, j.get("previousAllocationsDropped").asLong());
  }

  @Test
  void listOfPendingTasksShowsWhyEachWaits() {
    fake.put(Task.newBuilder().setId("t8").setState(TaskState.PENDING)
        .setSpec(TaskSpec.newBuilder().setName("big").setCommand("sleep").setPriority(5)
            .setResources(Resources.newBuilder().setCpuMillis(1000).setMemoryMib(8192)))
        .setMessage("insufficient memory: need 8192 MiB, largest free 4096 MiB on 3 eligible nodes").build());

    Result r = oag("task", "list", "--state", "PENDING");

    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].matches("ID\\s+NAME\\s+PRIORITY\\s+CPU\\s+MEMORY\\s+GPUS\\s+WAITING FOR"), lines[0]);
    assertTrue(lines[1].matches("t8\\s+big\\s+5\\s+1\\s+8192Mi\\s+0\\s+insufficient memory: need 8192 MiB, "
        + "largest free 4096 MiB on 3 eligible nodes"), lines[1]);
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

  /** A detail row: the label, padding, then the value (a prefix of the rest of the line). */
  private static void assertRow(String out, String label, String value) {
    assertTrue(out.lines().anyMatch(l -> l.startsWith(label)
        && l.substring(label.length()).strip().startsWith(value)), label + " " + value + "\n" + out);
  }

  private static Task fullTask() {
    return Task.newBuilder().setId("t7")
        .setSpec(TaskSpec.newBuilder().setName("echo").setCommand("sh")
            .addArgs("-c").addArgs("echo hi")
            .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryMib(300))
            .setRestart(RestartPolicy.RESTART_ALWAYS).putLabels("model", "glm").setPriority(2)
            .setFencing(FencingMode.FENCING_AVAILABLE).setStopGraceMs(30_000)
            .setThresholds(Thresholds.newBuilder().setMaxMemoryMib(2048)
                .setMaxCpuPercent(150).setCpuForMs(30_000)))
        .setState(TaskState.RUNNING).setDesired(DesiredState.DESIRED_PAUSED).setNode("n1")
        .setCreatedAtMs(1_700_000_000_000L).setUpdatedAtMs(1_700_000_001_000L)
        .setVersion(42).setMessage("running on n1")
        .setAllocation(Allocation.newBuilder().setId("a7").setGeneration(3).setNode("n1")
            .setState(AllocationState.ALLOCATION_RUNNING).setPid(4242).setRestarts(1)
            .setPlacedAtMs(1_700_000_000_500L).setStartedAtMs(1_700_000_001_000L)
            .setMetrics(ProcessMetrics.newBuilder().setCpuPercent(12.5).setRssMib(300)))
        .build();
  }
}
