package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.SetFailoverSettings;
import org.openautoglm.oag.command.v1.SetStormGuard;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.FailoverSettingsRecord;

/** The replicated failover settings and storm guard: defaults, the TTL rule, persistence. */
class FailoverSettingsTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private CommandResult set(FailoverSettingsRecord settings) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 5_000))
        .setSetFailoverSettings(SetFailoverSettings.newBuilder().setSettings(settings)).build());
  }

  private CommandResult guard(boolean on, String reason) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 6_000))
        .setSetStormGuard(SetStormGuard.newBuilder().setOn(on).setReason(reason)).build());
  }

  private List<String> eventTypes() {
    return store.events(0, 0, 100).stream().map(EventRecord::getType).toList();
  }

  @Test
  void theDefaultsKeepATtlLongEnoughForTheLeaseToLapseAndTheKeeperToKill() {
    FailoverSettings d = FailoverSettings.DEFAULTS;

    assertEquals(5_000 + 50 + 200 + 500, d.minimumTtlMs());
    assertTrue(d.ttlMs() >= d.minimumTtlMs());
    assertTrue(d.check("").isEmpty());
    assertEquals(d, FailoverSettings.of(FailoverSettingsRecord.getDefaultInstance()));
  }

  @Test
  void aTtlShorterThanTheLeaseRuleIsRefusedWithTheFieldNamedAndNothingChanges() throws IOException {
    CommandResult r = set(FailoverSettingsRecord.newBuilder().setLeaseMs(3_000).setTtlMs(3_500).build());

    assertEquals(Code.INVALID_ARGUMENT, r.getCode());
    assertEquals("settings.ttl_ms", r.getField());
    assertTrue(r.getMessage().contains("3730 ms"), r.getMessage());
    assertEquals(FailoverSettings.DEFAULTS, FailoverSettings.of(store.meta().getCluster().getFailover()));
    assertEquals("settings.available_ttl_ms", set(FailoverSettingsRecord.newBuilder().setAvailableTtlMs(9_000)
        .build()).getField());
    assertEquals("settings.storm_percent", set(FailoverSettingsRecord.newBuilder().setStormPercent(101).build())
        .getField());
  }

  @Test
  void settingsThatHoldAreReplicatedWithAnEventAndSurviveARestart() throws IOException {
    CommandResult r = set(FailoverSettingsRecord.newBuilder().setLeaseMs(3_000).setTtlMs(4_000)
        .setAvailableTtlMs(1_500).build());
    CommandResult again = set(FailoverSettingsRecord.newBuilder().setLeaseMs(3_000).setTtlMs(4_000)
        .setAvailableTtlMs(1_500).build());
    store.close();
    store = Fixtures.open(dir.resolve("db"));

    assertEquals(Code.OK, r.getCode());
    assertEquals("failover settings unchanged", again.getMessage());
    FailoverSettings now = FailoverSettings.of(store.meta().getCluster().getFailover());
    assertEquals(new FailoverSettings(3_000, 4_000, 1_500, 10_000, 200, 50, 3), now);
    assertEquals(List.of("cluster.settings"), eventTypes());
  }

  @Test
  void theStormGuardIsReplicatedStateWithAnEventPerChange() throws IOException {
    assertFalse(store.meta().getCluster().getStormGuard().getOn());

    guard(true, "3 of 4 nodes silent");
    assertEquals("storm guard already on", guard(true, "3 of 4 nodes silent").getMessage());
    var on = store.meta().getCluster().getStormGuard();
    guard(false, "heartbeats back");

    assertTrue(on.getOn());
    assertEquals(6_000, on.getSinceMs());
    assertEquals("3 of 4 nodes silent", on.getReason());
    assertFalse(store.meta().getCluster().getStormGuard().getOn());
    assertEquals(List.of("cluster.storm_guard_on", "cluster.storm_guard_off"), eventTypes());
  }
}
