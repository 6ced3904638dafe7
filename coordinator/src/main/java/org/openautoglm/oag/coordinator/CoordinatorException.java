package org.openautoglm.oag.coordinator;

/**
 * The coordinator's one exception hierarchy. Each subtype carries its retry
 * meaning; {@code api.ApiErrors} maps them to gRPC status codes in one place.
 */
public abstract class CoordinatorException extends RuntimeException {

  protected CoordinatorException(String message) {
    super(message);
  }

  protected CoordinatorException(String message, Throwable cause) {
    super(message, cause);
  }

  /** This node does not lead; retry at the hinted leader (either may be null when none is known). */
  public static final class NotLeader extends CoordinatorException {
    private final String leaderId;
    private final String leaderApiAddress;

    public NotLeader(String self, String leaderId, String leaderApiAddress) {
      super("not leader: " + self + " is not the leader"
          + (leaderId == null ? "; no leader is known yet" : "; the leader is " + leaderId
              + (leaderApiAddress == null ? "" : " at " + leaderApiAddress)));
      this.leaderId = leaderId;
      this.leaderApiAddress = leaderApiAddress;
    }

    public String leaderId() {
      return leaderId;
    }

    public String leaderApiAddress() {
      return leaderApiAddress;
    }
  }

  /** The write may or may not have taken effect; retry with the same request id. */
  public static final class Indeterminate extends CoordinatorException {
    public Indeterminate(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Too many requests in flight; retry later with backoff. Nothing was written. */
  public static final class Overloaded extends CoordinatorException {
    public Overloaded(String message) {
      super(message);
    }
  }

  /** Bad input; never retried. */
  public static final class InvalidArgument extends CoordinatorException {
    private final String field;

    public InvalidArgument(String field, String message) {
      super(field + ": " + message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  public static final class NotFound extends CoordinatorException {
    public NotFound(String message) {
      super(message);
    }
  }

  /** The request conflicts with the stored state (or reuses a request id); never retried. */
  public static final class FailedPrecondition extends CoordinatorException {
    public FailedPrecondition(String message) {
      super(message);
    }
  }
}
