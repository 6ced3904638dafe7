package org.openautoglm.oag.client;

import io.grpc.Status;

/**
 * The request is well formed but the current state refuses it (FAILED_PRECONDITION): an
 * invalid state change (resume a task that is not paused), or a request id reused with a
 * different payload. Not retryable as is.
 */
public final class FailedPreconditionException extends OagException {
  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(String message, Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, message, cause);
  }
}
