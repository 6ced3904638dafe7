package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        "labels", "gpus"), names);
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
}
