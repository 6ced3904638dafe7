package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SetFailoverSettings;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;

/**
 * SetFailoverSettings: replaces the failure-detection and fencing rules, every field left 0
 * taking its default. Settings that would let a node be declared dead before its exclusive
 * work is surely gone ({@link FailoverSettings#check}) are refused with the field named; a
 * change is an event ({@code cluster.settings}).
 */
final class SetFailoverSettingsApplier implements CommandApplier<SetFailoverSettings> {

  @Override
  public Optional<Violation> validate(SetFailoverSettings body) {
    return FailoverSettings.of(body.getSettings()).check("settings.");
  }

  @Override
  public CommandResult apply(WorkingSet ws, SetFailoverSettings body) {
    FailoverSettings next = FailoverSettings.of(body.getSettings());
    if (next.equals(ws.failover())) {
      return Results.ok("failover settings unchanged");
    }
    ws.putCluster(ws.cluster().toBuilder().setFailover(next.toRecord()).build());
    String described = "lease " + next.leaseMs() + " ms, ttl " + next.ttlMs() + " ms, available ttl "
        + next.availableTtlMs() + " ms, clock rate " + next.clockRatePpm() + " ppm, keeper period "
        + next.keeperPeriodMs() + " ms, storm guard above " + next.stormPercent() + " %, reschedules "
        + next.maxReschedules();
    ws.emit(Events.ofCluster(Events.CLUSTER_SETTINGS, described));
    return Results.ok("failover settings: " + described);
  }
}
