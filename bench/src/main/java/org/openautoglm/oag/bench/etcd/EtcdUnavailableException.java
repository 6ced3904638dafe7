package org.openautoglm.oag.bench.etcd;

import io.grpc.Status;

/**
 * The retry budget ran out: no leader could be found or reached, or every attempt failed with
 * a retryable error. A write that ends so may or may not have been applied.
 */
public class EtcdUnavailableException extends EtcdException {
  private static final long serialVersionUID = 1L;

  public EtcdUnavailableException(Status.Code code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
