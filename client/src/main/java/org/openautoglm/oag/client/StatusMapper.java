package org.openautoglm.oag.client;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The one place where a gRPC status becomes an {@link OagException}. The class of the
 * result carries its retry meaning; {@link RetryLoop} only asks {@link
 * OagException#retryable()} and the class.
 *
 * <p>Whether a failed write may have been applied depends on what the attempt saw: a status
 * that the server sent is taken at its word (indeterminate only on DEADLINE_EXCEEDED or the
 * {@code oag-indeterminate} trailer); a failure the transport made up after the request left
 * the client is indeterminate; one before it left is not. Reads are never indeterminate:
 * those cases map to {@link UnavailableException}.
 */
final class StatusMapper {

  private StatusMapper() {}

  /** What one attempt observed; see {@link AttemptTracer}. */
  record Attempt(boolean mutating, boolean requestSent, boolean serverAnswered,
      String clientId, String requestId) {}

  static OagException map(Status status, Metadata trailers, Attempt attempt) {
    Metadata t = trailers == null ? new Metadata() : trailers;
    Status.Code code = status.getCode();
    String description = status.getDescription() == null ? code.name() : status.getDescription();
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      description += " (" + status.getCause().getMessage() + ")";
    }
    Throwable cause = status.asRuntimeException(trailers);
    switch (code) {
      case UNAVAILABLE:
        if (description.startsWith(OagTrailers.NOT_LEADER_PREFIX)) {
          return new NotLeaderException(
              description, t.get(OagTrailers.LEADER_ID), t.get(OagTrailers.LEADER_ADDRESS));
        }
        if ("true".equalsIgnoreCase(t.get(OagTrailers.INDETERMINATE))) {
          return maybeApplied(code, description, attempt, cause);
        }
        if (!attempt.serverAnswered() && attempt.requestSent()) {
          return maybeApplied(code, "connection lost after the request was sent: " + description,
              attempt, cause);
        }
        return new UnavailableException(code, description, cause);
      case RESOURCE_EXHAUSTED:
        return new UnavailableException(code, description, cause);
      case DEADLINE_EXCEEDED:
        if (attempt.serverAnswered() || attempt.requestSent()) {
          return maybeApplied(code, description, attempt, cause);
        }
        return new UnavailableException(code, "request not sent before its deadline: "
            + description, cause);
      case CANCELLED:
        // Only the caller cancels (thread interrupt); a write already sent may have landed.
        if (attempt.mutating() && (attempt.requestSent() || attempt.serverAnswered())) {
          return maybeApplied(code, description, attempt, cause);
        }
        return new OagException(code, code + ": " + description, cause);
      case INVALID_ARGUMENT:
        return new InvalidArgumentException(description, t.get(OagTrailers.FIELD), cause);
      case NOT_FOUND:
        return new NotFoundException(description, cause);
      case FAILED_PRECONDITION:
        return new FailedPreconditionException(description, cause);
      default:
        return new OagException(code, code + ": " + description, cause);
    }
  }

  private static OagException maybeApplied(
      Status.Code code, String description, Attempt attempt, Throwable cause) {
    if (!attempt.mutating()) {
      return new UnavailableException(code, description, cause);
    }
    return new IndeterminateException(
        code, description, attempt.clientId(), attempt.requestId(), cause);
  }
}
