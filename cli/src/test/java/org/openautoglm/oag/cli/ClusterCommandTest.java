package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.TransferLeaderRequest;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import picocli.CommandLine;

class ClusterCommandTest extends CliTestSupport {

  @Test
  void statusJsonHasStableFieldNames() throws Exception {
    Result r = oag("cluster", "status", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(List.of("clusterId", "leader", "term", "answeredBy", "members"), names(j));
    assertEquals(List.of("id", "address", "apiAddress", "role", "term", "commitIndex",
        "appliedIndex", "digest", "reachable"), names(j.get("members").get(0)));
    assertEquals("c1", j.get("leader").asText());
    assertEquals("127.0.0.1:7080", j.get("members").get(0).get("address").asText());
  }

  @Test
  void statusTableNamesTheLeader() {
    Result r = oag("cluster", "status");

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("cluster oag  leader c1  term 3"), r.out());
    assertTrue(r.out().contains("LEADER"), r.out());
  }

  @Test
  void transferLeaderPassesTheTarget() {
    Result r = oag("cluster", "transfer-leader", "--to", "c3");

    assertEquals(0, r.exit(), r.err());
    assertEquals("leader: c3\n", r.out());
    assertEquals("c3", ((TransferLeaderRequest) fake.requests.get(0)).getTarget());
  }

  @Test
  void devFollowsThePortConvention() {
    List<CoordinatorConfig> c = DevCommand.configs(Path.of("/tmp/d"), 3);

    assertEquals(3, c.size());
    assertEquals(7070, c.get(0).apiPort());
    assertEquals(8080, c.get(0).httpPort());
    assertEquals("127.0.0.1:7082", c.get(2).self().raftAddress());
    assertEquals(8082, c.get(2).httpPort());
    assertEquals(Path.of("/tmp/d/c2"), c.get(1).dataDir());
    assertEquals(3, c.get(1).peers().size());
    assertEquals("127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072", DevCommand.addresses(c));
  }

  @Test
  void coordinatorOptionsBuildItsConfig() {
    CoordinatorCommand cmd = new CoordinatorCommand();
    new CommandLine(cmd).parseArgs("--id", "c2",
        "--peers", "c1=127.0.0.1:7080,c2=127.0.0.1:7081,c3=127.0.0.1:7082", "--data", "/tmp/x");

    CoordinatorConfig c = cmd.config();

    assertEquals("c2", c.nodeId());
    assertEquals(7071, c.apiPort());
    assertEquals(8081, c.httpPort());
    assertEquals("oag", c.clusterId());
    assertEquals("127.0.0.1", c.bindHost());
  }

  @Test
  void coordinatorSnapshotAndPurgeOptionsReachItsConfig() {
    CoordinatorCommand cmd = new CoordinatorCommand();
    new CommandLine(cmd).parseArgs("--id", "c1", "--peers", "c1=127.0.0.1:7080", "--data", "/tmp/x",
        "--snapshot-every", "300", "--purge-log-to-snapshot", "--raft-segment-bytes", "32Ki");
    CoordinatorCommand plain = new CoordinatorCommand();
    new CommandLine(plain).parseArgs("--id", "c1", "--peers", "c1=127.0.0.1:7080", "--data", "/tmp/x");

    CoordinatorConfig c = cmd.config();
    CoordinatorConfig shipped = plain.config();

    assertEquals(300, c.snapshotAutoTriggerThreshold());
    assertTrue(c.purgeLogUpToSnapshot());
    assertEquals(32 << 10, c.raftSegmentBytes());
    CoordinatorConfig defaults = CoordinatorConfig.builder("c1", shipped.peers(), Path.of("/tmp/x")).build();
    assertEquals(defaults.snapshotAutoTriggerThreshold(), shipped.snapshotAutoTriggerThreshold());
    assertFalse(shipped.purgeLogUpToSnapshot());
    assertEquals(defaults.raftSegmentBytes(), shipped.raftSegmentBytes());
  }

  @Test
  void coordinatorRefusesBadSnapshotAndSegmentSizesAsUsageNamingTheOption() {
    List<List<String>> bad = List.of(
        List.of("--snapshot-every", "0"),
        List.of("--snapshot-every", "often"),
        List.of("--snapshot-every", "2000000000"),
        List.of("--raft-segment-bytes", "1Ki"),
        List.of("--raft-segment-bytes", "2Gi"),
        List.of("--raft-segment-bytes", "lots"));
    for (List<String> option : bad) {
      List<String> args = new ArrayList<>(List.of("coordinator", "--id", "c1",
          "--peers", "c1=127.0.0.1:7080", "--data", "/tmp/x"));
      args.addAll(option);

      Result r = oag(args.toArray(String[]::new));

      assertEquals(2, r.exit(), option + ": " + r.err());
      assertEquals(1, r.errLines().size(), option + ": " + r.err());
      assertTrue(r.err().contains(option.get(0)), option + ": " + r.err());
    }
  }

  @Test
  void coordinatorRefusesAnIdOutsideItsPeersAsUsage() {
    Result r = oag("coordinator", "--id", "c9",
        "--peers", "c1=127.0.0.1:7080", "--data", "/tmp/x");

    assertEquals(2, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("--id"), r.err());
    Result bad = oag("coordinator", "--id", "c1", "--peers", "c1=host", "--data", "/tmp/x");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("--peers"), bad.err());
  }

  @Test
  void settingsShowsWhatIsInForceAndChangesOnlyWhatIsNamed() throws Exception {
    Result shown = oag("cluster", "settings");
    Result changed = oag("cluster", "settings", "--lease", "3s", "--ttl", "4s", "-o", "json");

    assertEquals(0, shown.exit(), shown.err());
    assertTrue(shown.out().contains("TTL:            6s"), shown.out());
    assertTrue(shown.out().contains("Storm guard:    above 50% silent; off"), shown.out());
    assertEquals(0, changed.exit(), changed.err());
    JsonNode j = new ObjectMapper().readTree(changed.out());
    assertEquals(List.of("leaseMs", "ttlMs", "availableTtlMs", "clockRatePpm", "keeperPeriodMs", "stormPercent",
        "maxReschedules", "stormGuardOn", "stormGuardReason"), names(j));
    assertEquals(3_000, j.get("leaseMs").asLong());
    assertEquals(4_000, j.get("ttlMs").asLong());
    assertEquals(2_000, j.get("availableTtlMs").asLong());
  }

  @Test
  void settingsTheClusterRefusesAreExitTwoNamingTheField() {
    Result r = oag("cluster", "settings", "--ttl", "1s");
    Result usage = oag("cluster", "settings", "--ttl", "soon");

    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("ttl_ms"), r.err());
    assertEquals(2, usage.exit());
    assertEquals(1, usage.errLines().size(), usage.err());
  }

  @Test
  void rebalanceShowsWhatIsInForceWithUnits() throws Exception {
    Result shown = oag("cluster", "rebalance");
    Result json = oag("cluster", "rebalance", "-o", "json");

    assertEquals(0, shown.exit(), shown.err());
    assertEquals(String.join("\n",
        "Rebalancer:  on",
        "Threshold:   above a 20% spread",
        "Moves:       at most 3 per interval",
        "Interval:    5s",
        "Cooldown:    2m", ""), shown.out());
    assertEquals(0, json.exit(), json.err());
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertEquals(List.of("thresholdPercent", "maxMoves", "intervalMs", "cooldownMs", "disabled"), names(j));
    assertEquals(120_000, j.get("cooldownMs").asLong());
    assertTrue(fake.requests.stream().allMatch(GetRebalanceSettingsRequest.class::isInstance),
        "printing sets nothing: " + fake.requests);
  }

  @Test
  void rebalanceChangesOnlyWhatIsNamedAfterReadingWhatIsInForce() throws Exception {
    oag("cluster", "rebalance", "--moves", "7", "--cooldown", "10m");
    Result changed = oag("cluster", "rebalance", "--threshold", "35", "--off", "-o", "json");
    Result back = oag("cluster", "rebalance", "--on", "--interval", "30s");

    assertEquals(0, changed.exit(), changed.err());
    assertEquals(RebalanceSettings.newBuilder().setThresholdPercent(35).setMaxMoves(7).setIntervalMs(5_000)
        .setCooldownMs(600_000).setDisabled(true).build(), fake.requests.get(3));
    JsonNode j = new ObjectMapper().readTree(changed.out());
    assertEquals(35, j.get("thresholdPercent").asInt());
    assertEquals(7, j.get("maxMoves").asInt());
    assertTrue(j.get("disabled").asBoolean());
    assertEquals(0, back.exit(), back.err());
    assertTrue(back.out().startsWith("Rebalancer:  on\nThreshold:   above a 35% spread\n"), back.out());
    assertTrue(back.out().contains("Interval:    30s"), back.out());
  }

  @Test
  void rebalanceBadInputIsExitTwoOnOneLine() {
    Result outOfRange = oag("cluster", "rebalance", "--threshold", "101");
    Result zero = oag("cluster", "rebalance", "--moves", "0");
    Result both = oag("cluster", "rebalance", "--on", "--off");
    Result duration = oag("cluster", "rebalance", "--interval", "soon");

    for (Result r : List.of(outOfRange, zero, both, duration)) {
      assertEquals(2, r.exit(), r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.out().isEmpty(), r.out());
    }
    assertTrue(outOfRange.err().contains("settings.threshold_percent"), outOfRange.err());
    assertTrue(both.err().contains("--on") && both.err().contains("--off"), both.err());
    assertTrue(duration.err().contains("'soon' is not a duration"), duration.err());
    assertEquals(2, fake.calls(), "only the out-of-range threshold reached the cluster: a read and the refused set");
  }

  private static List<String> names(JsonNode j) {
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
