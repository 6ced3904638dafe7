package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SetRebalanceSettings;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;

/**
 * SetRebalanceSettings: replaces the rebalancer's settings, every field left 0 taking its
 * default; unusable ones are refused with the field named. A change is an event
 * ({@code cluster.settings}).
 */
final class SetRebalanceSettingsApplier implements CommandApplier<SetRebalanceSettings> {

  @Override
  public Optional<Violation> validate(SetRebalanceSettings body) {
    return RebalanceSettings.of(body.getSettings()).check("settings.");
  }

  @Override
  public CommandResult apply(WorkingSet ws, SetRebalanceSettings body) {
    RebalanceSettings next = RebalanceSettings.of(body.getSettings());
    if (next.equals(RebalanceSettings.of(ws.cluster().getRebalance()))) {
      return Results.ok("rebalance settings unchanged");
    }
    ws.putCluster(ws.cluster().toBuilder().setRebalance(next.toRecord()).build());
    String described = next.disabled() ? "rebalancer off"
        : "rebalance above a spread of " + next.thresholdPercent() + " points, at most " + next.maxMoves()
            + " moves every " + next.intervalMs() + " ms, a task moved at most once per " + next.cooldownMs() + " ms";
    ws.emit(Events.ofCluster(Events.CLUSTER_SETTINGS, described));
    return Results.ok("rebalance settings: " + described);
  }
}
