package org.openautoglm.oag.client;

import io.grpc.Status;

/**
 * The server refused the request as malformed (INVALID_ARGUMENT). {@link #field()} names
 * the offending field path, e.g. {@code spec.command}, when the server sent it
 * (trailer {@code oag-field}). Nothing was stored; retrying unchanged fails the same way.
 */
public final class InvalidArgumentException extends OagException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidArgumentException(String message, String field, Throwable cause) {
    super(Status.Code.INVALID_ARGUMENT, message, cause);
    this.field = field == null || field.isBlank() ? null : field;
  }

  /** The field path the server named, or null. */
  public String field() {
    return field;
  }
}
