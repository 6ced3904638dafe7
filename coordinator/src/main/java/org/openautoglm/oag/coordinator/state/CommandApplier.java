package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;

/**
 * Turns one kind of command body into state changes and a result. One
 * implementation per body type, registered in {@link CommandDispatcher}.
 *
 * <p>Contract: deterministic (reads only {@code ws} and {@code body}; time and
 * index come from {@code ws}); writes only through {@code ws}; a domain
 * rejection is a result, never an exception. {@link #apply} is called only
 * for a body that {@link #validate} accepted.
 *
 * @param <B> the body message type
 */
interface CommandApplier<B> {

  /** Structural checks of the body alone, with field paths in API naming. */
  Optional<Violation> validate(B body);

  CommandResult apply(WorkingSet ws, B body);
}
