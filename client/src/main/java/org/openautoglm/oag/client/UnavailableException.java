package org.openautoglm.oag.client;

import io.grpc.Status;

/**
 * No coordinator could take the request: connection refused, no leader elected, the
 * leader's pending-request limit reached (RESOURCE_EXHAUSTED), or the client's retry budget
 * ran out before any of those cleared. The request was not applied (had it possibly been,
 * the client throws {@link IndeterminateException} instead). Safe to retry.
 */
public final class UnavailableException extends OagException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(Status.Code code, String message, Throwable cause) {
    super(code, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
