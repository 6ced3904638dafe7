package org.openautoglm.oag.client;

import io.grpc.Status;

/**
 * A write may or may not have been applied: an attempt timed out, the connection broke
 * after the request was sent, or the server said so (trailer {@code oag-indeterminate}),
 * and the retry budget ran out before a definite answer. Retrying with the same
 * {@link #clientId()} and {@link #requestId()} is safe: the coordinator applies a request
 * id once and answers a retry with the original result.
 */
public final class IndeterminateException extends OagException {
  private static final long serialVersionUID = 1L;

  private final String clientId;
  private final String requestId;

  public IndeterminateException(
      Status.Code code, String message, String clientId, String requestId, Throwable cause) {
    super(code, message, cause);
    this.clientId = clientId;
    this.requestId = requestId;
  }

  /** The idempotency key's client half; null for reads. */
  public String clientId() {
    return clientId;
  }

  /** The idempotency key's request half; pass it again to retry; null for reads. */
  public String requestId() {
    return requestId;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
