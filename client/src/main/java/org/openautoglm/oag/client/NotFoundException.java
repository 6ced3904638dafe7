package org.openautoglm.oag.client;

import io.grpc.Status;

/** The named task (or member) does not exist (NOT_FOUND). Not retryable. */
public final class NotFoundException extends OagException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message, Throwable cause) {
    super(Status.Code.NOT_FOUND, message, cause);
  }
}
