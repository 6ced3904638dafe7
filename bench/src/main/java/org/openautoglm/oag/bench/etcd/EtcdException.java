package org.openautoglm.oag.bench.etcd;

import io.grpc.Status;

/**
 * A write or look at etcd failed for good: etcd refused it (anything {@link EtcdErrors} does
 * not call retryable), or, as the subclass {@link EtcdUnavailableException}, the retry
 * budget ran out. The load generator counts failures by class name. The message names the
 * endpoint and etcd's own error text.
 */
public class EtcdException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;

  public EtcdException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code of the last failed attempt (UNAVAILABLE when none was made). */
  public Status.Code code() {
    return code;
  }
}
