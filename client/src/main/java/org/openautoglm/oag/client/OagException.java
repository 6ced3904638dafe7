package org.openautoglm.oag.client;

import io.grpc.Status;

/**
 * Base of every error the client library throws. Unchecked. Each subclass says
 * what a caller may do next:
 *
 * <ul>
 *   <li>{@link NotLeaderException}: the node asked is not the leader; the client follows the
 *       hint itself, so callers only see it from {@link OagException#retryable() retryable}
 *       inner causes.
 *   <li>{@link UnavailableException}: no coordinator answered within the retry budget; nothing
 *       was applied; safe to retry.
 *   <li>{@link IndeterminateException}: a write may or may not have been applied; retry with
 *       the same request id (see {@link IndeterminateException#requestId()}).
 *   <li>{@link InvalidArgumentException}, {@link NotFoundException},
 *       {@link FailedPreconditionException}: the server refused the request; retrying it
 *       unchanged gives the same answer.
 * </ul>
 *
 * <p>Anything else the server answers (INTERNAL, UNIMPLEMENTED, ...) arrives as a plain
 * {@code OagException} carrying the gRPC code. The mapping from gRPC status lives in one
 * place, {@code StatusMapper}.
 */
public class OagException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;

  public OagException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code behind this error (UNAVAILABLE for client-side give-ups). */
  public Status.Code code() {
    return code;
  }

  /** Whether sending the same request again (same request id) can succeed. */
  public boolean retryable() {
    return false;
  }
}
