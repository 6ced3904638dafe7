package org.openautoglm.oag.coordinator.state;

import java.util.Objects;
import java.util.Optional;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;

/**
 * Structural validation of a command, independent of any state: the API runs
 * it before proposing, the state machine in {@code startTransaction}, and apply
 * re-checks it, so a bad request never changes state. Field paths use the
 * public API's naming ({@code spec.resources.cpu_millis}, {@code meta.client_id},
 * {@code task_id}) so they can go straight into an INVALID_ARGUMENT reply.
 *
 * <p>Pure, deterministic and thread-safe. Reports the first violation found.
 */
public final class CommandValidator {

  /** Longest client id and request id, in chars. */
  public static final int MAX_ID_CHARS = 128;

  private CommandValidator() {}

  /** Empty when {@code command} is valid, else its first violation. */
  public static Optional<Violation> validate(Command command) {
    Objects.requireNonNull(command, "command");
    Optional<Violation> header = validateHeader(command.getHeader());
    return header.isPresent() ? header : CommandDispatcher.STANDARD.validateBody(command);
  }

  /** The idempotency key's rules: both ids or neither, bounded, no NUL. */
  static Optional<Violation> validateHeader(CommandHeader header) {
    String clientId = header.getClientId();
    String requestId = header.getRequestId();
    Optional<Violation> bad = checkId("meta.client_id", clientId);
    if (bad.isEmpty()) {
      bad = checkId("meta.request_id", requestId);
    }
    if (bad.isPresent()) {
      return bad;
    }
    if (!clientId.isEmpty() && requestId.isEmpty()) {
      return Violation.of("meta.request_id", "set together with meta.client_id");
    }
    if (clientId.isEmpty() && !requestId.isEmpty()) {
      return Violation.of("meta.client_id", "set together with meta.request_id");
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkId(String field, String value) {
    if (value.length() > MAX_ID_CHARS) {
      return Violation.of(field, value.length() + " chars, at most " + MAX_ID_CHARS);
    }
    if (value.indexOf('\0') >= 0) {
      return Violation.of(field, "contains a NUL character");
    }
    return Optional.empty();
  }

  /**
   * What is wrong with a command.
   *
   * @param field the offending field's path in the public API, e.g. {@code spec.args[2]}
   * @param message what is wrong, without the field
   */
  public record Violation(String field, String message) {

    public Violation {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }

    static Optional<Violation> of(String field, String message) {
      return Optional.of(new Violation(field, message));
    }

    /** {@code "field: message"}, as shown to a user. */
    public String describe() {
      return field + ": " + message;
    }
  }
}
