package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.SetStormGuard;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.StormGuardRecord;

/**
 * SetStormGuard: the failover controller found too many nodes silent at once (on: it
 * declares none down) or heartbeats back (off). Replicated, so a new leader keeps the guard
 * up; each change is an event ({@code cluster.storm_guard_on} / {@code _off}).
 */
final class SetStormGuardApplier implements CommandApplier<SetStormGuard> {
  static final int MAX_REASON_CHARS = 1_000;

  @Override
  public Optional<Violation> validate(SetStormGuard body) {
    return body.getReason().length() > MAX_REASON_CHARS
        ? Violation.of("reason", body.getReason().length() + " chars, at most " + MAX_REASON_CHARS)
        : Optional.empty();
  }

  @Override
  public CommandResult apply(WorkingSet ws, SetStormGuard body) {
    StormGuardRecord now = ws.cluster().getStormGuard();
    if (now.getOn() == body.getOn()) {
      return Results.ok("storm guard already " + (body.getOn() ? "on" : "off"));
    }
    StormGuardRecord next = body.getOn()
        ? StormGuardRecord.newBuilder().setOn(true).setSinceMs(ws.timeMs()).setReason(body.getReason()).build()
        : StormGuardRecord.getDefaultInstance();
    ws.putCluster(ws.cluster().toBuilder().setStormGuard(next).build());
    ws.emit(Events.ofCluster(body.getOn() ? Events.STORM_GUARD_ON : Events.STORM_GUARD_OFF, body.getReason()));
    return Results.ok("storm guard " + (body.getOn() ? "on" : "off"));
  }
}
