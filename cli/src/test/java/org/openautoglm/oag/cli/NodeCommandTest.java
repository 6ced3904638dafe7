package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.DrainItem;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainReport;
import org.openautoglm.oag.api.v1.DrainStatusReply;
import org.openautoglm.oag.api.v1.Gpu;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.client.testing.FakeCoordinator;

class NodeCommandTest extends CliTestSupport {

  private void twoNodes() {
    fake.putNode(Node.newBuilder().setId("w1").setState(NodeState.NODE_UP)
        .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryMib(16384).setGpus(2))
        .setUsed(Resources.newBuilder().setCpuMillis(1500).setMemoryMib(512).setGpus(1))
        .setTasks(3).setLastHeartbeatAgeMs(420).setConnected(true).setAddress("10.0.0.1:9090")
        .setCpuPercent(37.5).setMemoryUsedMib(6000).putLabels("zone", "a")
        .addGpus(Gpu.newBuilder().setIndex(0).setModel("H100").setMemoryMib(81920))
        .build());
    fake.putNode(Node.newBuilder().setId("w2").setState(NodeState.NODE_DOWN)
        .setEligibility(NodeEligibility.NODE_CORDONED)
        .setCapacity(Resources.newBuilder().setCpuMillis(2000).setMemoryMib(3072))
        .setLastHeartbeatAgeMs(-1).build());
  }

  @Test
  void listIsATableWithUseOverCapacityAndHeartbeatAge() {
    twoNodes();

    Result r = oag("node", "list");

    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r.out());
    assertTrue(lines[0].matches("ID\\s+STATE\\s+SCHEDULING\\s+CPU\\s+MEMORY\\s+GPUS\\s+TASKS\\s+HEARTBEAT"),
        lines[0]);
    assertTrue(lines[1].matches("w1\\s+UP\\s+eligible\\s+1\\.5/4\\s+512Mi/16Gi\\s+1/2\\s+3\\s+0\\.4s ago"),
        lines[1]);
    assertTrue(lines[2].matches("w2\\s+DOWN\\s+cordoned\\s+0/2\\s+0Mi/3Gi\\s+0/0\\s+0\\s+-"), lines[2]);
  }

  @Test
  void listJsonHasStableFieldNames() throws Exception {
    twoNodes();

    Result r = oag("node", "list", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(2, j.size());
    List<String> names = new ArrayList<>();
    j.get(0).fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("id", "state", "address", "connected", "capacity", "used", "tasks",
        "lastHeartbeatAgeMs", "cpuPercent", "memoryUsedMiB", "eligibility", "draining", "drainDeadline",
        "labels", "gpus", "lastDrain"), names);
    assertEquals("CORDONED", j.get(1).get("eligibility").asText());
    assertEquals(4.0, j.get(0).get("capacity").get("cpu").asDouble());
    assertEquals(512, j.get(0).get("used").get("memoryMiB").asLong());
    assertEquals(420, j.get(0).get("lastHeartbeatAgeMs").asLong());
    assertEquals("H100", j.get(0).get("gpus").get(0).get("model").asText());
    assertTrue(j.get(1).get("lastHeartbeatAgeMs").isNull());
    assertEquals("DOWN", j.get(1).get("state").asText());
  }

  @Test
  void listFollowsTheLeaderHint() throws Exception {
    String leaderAddress = "cli-leader-" + java.util.UUID.randomUUID() + ":1";
    try (FakeCoordinator leader = new FakeCoordinator(leaderAddress)) {
      leader.putNode(Node.newBuilder().setId("w9").setState(NodeState.NODE_UP).build());
      fake.follower("c2", leaderAddress);

      Result r = oag("node", "list");

      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("w9"), r.out());
    }
  }

  @Test
  void noNodesIsJustTheHeader() {
    Result r = oag("node", "list");

    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.out().split("\n").length, r.out());
  }

  @Test
  void unknownArgumentsAreUsageErrors() {
    Result r = oag("node", "list", "--bogus");
    Result sub = oag("node", "destroy");

    assertEquals(2, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertEquals(2, sub.exit());
    assertEquals(1, sub.errLines().size(), sub.err());
  }

  @Test
  void cordonAndUncordonSayWhatTheNodeTakesNow() throws Exception {
    twoNodes();

    Result cordon = oag("node", "cordon", "w1");
    Result listed = oag("node", "list");
    Result uncordon = oag("node", "uncordon", "w1", "-o", "json");

    assertEquals(0, cordon.exit(), cordon.err());
    assertEquals("node w1 cordoned\n", cordon.out());
    assertTrue(listed.out().split("\n")[1].matches("w1\\s+UP\\s+cordoned\\s+.*"), listed.out());
    assertEquals(0, uncordon.exit(), uncordon.err());
    assertEquals("ELIGIBLE", new ObjectMapper().readTree(uncordon.out()).get("eligibility").asText());
  }

  @Test
  void cordonOfAnUnknownNodeIsExitOneAndWithoutAnIdAUsageError() {
    Result unknown = oag("node", "cordon", "w42");
    Result missing = oag("node", "cordon");

    assertEquals(1, unknown.exit());
    assertEquals("oag: node w42 not found\n", unknown.err());
    assertEquals(2, missing.exit());
    assertEquals(1, missing.errLines().size(), missing.err());
  }

  @Test
  void drainSendsTheDeadlineAndSaysUntilWhen() throws Exception {
    twoNodes();

    Result r = oag("node", "drain", "w1", "--deadline", "90s");
    Result none = oag("node", "drain", "w1", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    assertEquals(DrainNodeRequest.newBuilder().setNodeId("w1").setDeadlineMs(90_000).build(), fake.requests.get(0));
    assertEquals("node w1 draining until 2023-11-14T22:14:50Z\n", r.out());
    assertEquals(0, none.exit(), none.err());
    assertEquals(0, ((DrainNodeRequest) fake.requests.get(1)).getDeadlineMs());
    JsonNode j = new ObjectMapper().readTree(none.out());
    assertTrue(j.get("draining").asBoolean());
    assertTrue(j.get("drainDeadline").isNull(), none.out());
    assertTrue(oag("node", "list").out().split("\n")[1].matches("w1\\s+UP\\s+draining\\s+.*"));
  }

  @Test
  void cancelStopsTheDrainAndLeavesTheNodeCordoned() {
    twoNodes();
    oag("node", "drain", "w1");

    Result r = oag("node", "drain", "w1", "--cancel");

    assertEquals(0, r.exit(), r.err());
    assertEquals(DrainNodeRequest.newBuilder().setNodeId("w1").setCancel(true).build(), fake.requests.get(1));
    assertEquals("node w1 cordoned\n", r.out());
  }

  @Test
  void badDrainArgumentsAreOneLineUsageErrors() {
    twoNodes();
    for (List<String> c : List.of(
        List.of("--cancel", "w1", "--cancel", "--deadline", "1m"),
        List.of("--deadline", "w1", "--deadline", "soon"),
        List.of("--deadline", "w1", "--deadline", "0"),
        List.of("--deadline", "w1", "--deadline", "8d"),
        List.of("ID"))) {
      List<String> line = new ArrayList<>(List.of("node", "drain"));
      line.addAll(c.subList(1, c.size()));
      Result r = oag(line.toArray(new String[0]));
      String what = line + " -> " + r.err();
      assertEquals(2, r.exit(), what);
      assertEquals(1, r.errLines().size(), what);
      assertTrue(r.err().contains(c.get(0)), what);
      assertTrue(!r.err().contains("Exception"), what);
    }
    assertTrue(fake.requests.isEmpty());
  }

  @Test
  void drainOfAnUnknownNodeIsExitOne() {
    Result drain = oag("node", "drain", "w42");
    Result status = oag("node", "drain-status", "w42");

    assertEquals(1, drain.exit());
    assertEquals("oag: node w42 not found\n", drain.err());
    assertEquals(1, status.exit());
    assertEquals("oag: node w42 not found\n", status.err());
  }

  private static DrainStatusReply drainingW1() {
    return DrainStatusReply.newBuilder().setNodeId("w1").setDraining(true)
        .setStartedAtMs(1_700_000_000_000L).setDeadlineMs(1_700_000_060_000L).setMigrated(2)
        .addRemaining(DrainItem.newBuilder().setTaskId("t1").setAllocationId("t1.3")
            .setState(AllocationState.ALLOCATION_RUNNING).setWaitingFor("its new instance on w2 to be ready"))
        .addRemaining(DrainItem.newBuilder().setTaskId("t12").setAllocationId("t12.1")
            .setState(AllocationState.ALLOCATION_ASSIGNED).setWaitingFor("its migration to begin"))
        .setLast(DrainReport.newBuilder().setStartedAtMs(1_600_000_000_000L).setEndedAtMs(1_600_000_100_000L)
            .setDeadlineMs(1_600_000_090_000L).setOutcome("deadline").setMigrated(4)
            .addStoppedAtDeadline("t5").addStoppedAtDeadline("t6"))
        .build();
  }

  @Test
  void drainStatusShowsTheDrainWhatItWaitsForAndTheLastOne() {
    fake.putDrainStatus(drainingW1());

    Result r = oag("node", "drain-status", "w1");

    assertEquals(0, r.exit(), r.err());
    assertEquals(String.join("\n",
        "Node:       w1",
        "Draining:   yes",
        "Started:    2023-11-14T22:13:20Z",
        "Deadline:   2023-11-14T22:14:20Z",
        "Migrated:   2",
        "Remaining:  2 allocations",
        "",
        "TASK  ALLOCATION  STATE     WAITING FOR",
        "t1    t1.3        RUNNING   its new instance on w2 to be ready",
        "t12   t12.1       ASSIGNED  its migration to begin",
        "",
        "Last drain:             deadline",
        "  Started:              2020-09-13T12:26:40Z",
        "  Ended:                2020-09-13T12:28:20Z",
        "  Deadline:             2020-09-13T12:28:10Z",
        "  Migrated:             4",
        "  Stopped at deadline:  t5, t6",
        ""), r.out());
  }

  @Test
  void drainStatusOfANodeNotDrainingIsShort() {
    twoNodes();

    Result r = oag("node", "drain-status", "w2");

    assertEquals(0, r.exit(), r.err());
    assertEquals("Node:      w2\nDraining:  no\n", r.out());
  }

  @Test
  void drainStatusJsonHasStableFieldNames() throws Exception {
    fake.putDrainStatus(drainingW1());

    Result r = oag("node", "drain-status", "w1", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("nodeId", "draining", "startedAt", "deadline", "migrated", "remaining", "last"), names);
    assertEquals("2023-11-14T22:14:20Z", j.get("deadline").asText());
    assertEquals("its new instance on w2 to be ready", j.get("remaining").get(0).get("waitingFor").asText());
    assertEquals("ASSIGNED", j.get("remaining").get(1).get("state").asText());
    assertEquals("t1.3", j.get("remaining").get(0).get("allocationId").asText());
    assertEquals("deadline", j.get("last").get("outcome").asText());
    assertEquals(2, j.get("last").get("stoppedAtDeadline").size());
    assertEquals(4, j.get("last").get("migrated").asInt());
  }
}
