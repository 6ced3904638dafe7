package org.openautoglm.oag.coordinator.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place coordinator exceptions become gRPC statuses. The trailers are
 * the wire contract the client library follows:
 * <ul>
 *   <li>not leader: UNAVAILABLE, {@code oag-leader-id}, {@code oag-leader-address} (when known);
 *   <li>indeterminate: UNAVAILABLE with {@code oag-indeterminate: true} — retry with the same request id;
 *   <li>overloaded: RESOURCE_EXHAUSTED — retry with backoff;
 *   <li>bad input: INVALID_ARGUMENT with {@code oag-field};
 *   <li>NOT_FOUND, FAILED_PRECONDITION: never retried.
 * </ul>
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
  public static final Metadata.Key<String> LEADER_ID = key("oag-leader-id");
  public static final Metadata.Key<String> LEADER_ADDRESS = key("oag-leader-address");
  public static final Metadata.Key<String> FIELD = key("oag-field");
  public static final Metadata.Key<String> INDETERMINATE = key("oag-indeterminate");

  private ApiErrors() {}

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  public static StatusRuntimeException toStatus(Throwable error) {
    Throwable e = unwrap(error);
    Metadata trailers = new Metadata();
    Status status;
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    } else if (e instanceof CoordinatorException.NotLeader nl) {
      if (nl.leaderId() != null) {
        trailers.put(LEADER_ID, nl.leaderId());
      }
      if (nl.leaderApiAddress() != null) {
        trailers.put(LEADER_ADDRESS, nl.leaderApiAddress());
      }
      status = Status.UNAVAILABLE.withDescription(nl.getMessage());
    } else if (e instanceof CoordinatorException.Indeterminate) {
      trailers.put(INDETERMINATE, "true");
      status = Status.UNAVAILABLE.withDescription(e.getMessage());
    } else if (e instanceof TimeoutException) {
      trailers.put(INDETERMINATE, "true");
      status = Status.UNAVAILABLE.withDescription("timed out waiting for the write to commit; "
          + "it may or may not have happened: retry with the same request id");
    } else if (e instanceof CoordinatorException.Overloaded) {
      status = Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
    } else if (e instanceof CoordinatorException.InvalidArgument ia) {
      trailers.put(FIELD, ia.field());
      status = Status.INVALID_ARGUMENT.withDescription(ia.getMessage());
    } else if (e instanceof CoordinatorException.NotFound) {
      status = Status.NOT_FOUND.withDescription(e.getMessage());
    } else if (e instanceof CoordinatorException.FailedPrecondition) {
      status = Status.FAILED_PRECONDITION.withDescription(e.getMessage());
    } else if (e instanceof CancellationException) {
      status = Status.CANCELLED.withDescription("cancelled");
    } else {
      LOG.error("event=internal_error", e);
      status = Status.INTERNAL.withDescription("internal error: " + e);
    }
    return status.asRuntimeException(trailers);
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
