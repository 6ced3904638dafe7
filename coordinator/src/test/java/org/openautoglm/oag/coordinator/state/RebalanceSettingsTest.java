package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.openautoglm.oag.command.v1.SetRebalanceSettings;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.RebalanceSettingsRecord;

/** The rebalancer's replicated settings: defaults, what is refused, a change and a no-op, persistence. */
class RebalanceSettingsTest {

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

  private CommandResult set(RebalanceSettingsRecord settings) throws IOException {
    return feed.one(1, Command.newBuilder().setHeader(header(1, 5_000))
        .setSetRebalanceSettings(SetRebalanceSettings.newBuilder().setSettings(settings)).build());
  }

  private RebalanceSettings stored() {
    return RebalanceSettings.of(store.meta().getCluster().getRebalance());
  }

  private List<String> eventTypes() {
    return store.events(0, 0, 100).stream().map(EventRecord::getType).toList();
  }

  @Test
  void aFreshClusterReadsTheDefaultsAndTheyAreUsable() {
    assertEquals(RebalanceSettings.DEFAULTS, stored());
    assertEquals(new RebalanceSettings(20, 3, 5_000, 120_000, false), RebalanceSettings.DEFAULTS);
    assertTrue(RebalanceSettings.DEFAULTS.check("").isEmpty());
    assertEquals(RebalanceSettings.DEFAULTS, RebalanceSettings.of(RebalanceSettings.DEFAULTS.toRecord()));
  }

  @Test
  void unusableValuesAreRefusedWithTheFieldNamedAndNothingChanges() throws IOException {
    CommandResult threshold = set(RebalanceSettingsRecord.newBuilder().setThresholdPercent(101).build());

    assertEquals(Code.INVALID_ARGUMENT, threshold.getCode());
    assertEquals("settings.threshold_percent", threshold.getField());
    assertTrue(threshold.getMessage().contains("101"), threshold.getMessage());
    assertEquals("settings.threshold_percent",
        set(RebalanceSettingsRecord.newBuilder().setThresholdPercent(-1).build()).getField());
    assertEquals("settings.max_moves", set(RebalanceSettingsRecord.newBuilder().setMaxMoves(101).build()).getField());
    assertEquals("settings.interval_ms",
        set(RebalanceSettingsRecord.newBuilder().setIntervalMs(999).build()).getField());
    assertEquals("settings.interval_ms",
        set(RebalanceSettingsRecord.newBuilder().setIntervalMs(3_600_001).build()).getField());
    assertEquals("settings.cooldown_ms",
        set(RebalanceSettingsRecord.newBuilder().setCooldownMs(-1).build()).getField());
    assertEquals("settings.cooldown_ms",
        set(RebalanceSettingsRecord.newBuilder().setCooldownMs(86_400_001).build()).getField());
    assertEquals(RebalanceSettings.DEFAULTS, stored());
    assertEquals(List.of(), eventTypes());
  }

  @Test
  void aChangeIsStoredWithAnEventAndSurvivesARestart() throws IOException {
    CommandResult r = set(RebalanceSettingsRecord.newBuilder().setThresholdPercent(35).setMaxMoves(5)
        .setDisabled(true).build());
    store.close();
    store = Fixtures.open(dir.resolve("db"));

    assertEquals(Code.OK, r.getCode());
    assertTrue(r.getMessage().contains("rebalancer off"), r.getMessage());
    assertEquals(new RebalanceSettings(35, 5, 5_000, 120_000, true), stored());
    assertEquals(List.of("cluster.settings"), eventTypes());
  }

  @Test
  void settingWhatIsInForceAgainIsANoOp() throws IOException {
    CommandResult defaults = set(RebalanceSettingsRecord.getDefaultInstance());
    CommandResult spelledOut = set(RebalanceSettings.DEFAULTS.toRecord());

    assertEquals(Code.OK, defaults.getCode());
    assertEquals("rebalance settings unchanged", defaults.getMessage());
    assertEquals("rebalance settings unchanged", spelledOut.getMessage());
    assertEquals(RebalanceSettings.DEFAULTS, stored());
    assertEquals(List.of(), eventTypes());
  }
}
