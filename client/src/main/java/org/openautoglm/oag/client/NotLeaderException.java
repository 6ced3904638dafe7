package org.openautoglm.oag.client;

import io.grpc.Status;
import java.util.Optional;

/**
 * The node that answered is not the Raft leader. Carries the leader's id and API
 * address when the node knows them. The client follows the hint at once, or tries the
 * next address with backoff when there is none; it only surfaces as the cause of an
 * {@link UnavailableException} when the retry budget ran out while no leader was found.
 */
public final class NotLeaderException extends OagException {
  private static final long serialVersionUID = 1L;

  private final String leaderId;
  private final String leaderAddress;

  public NotLeaderException(String message, String leaderId, String leaderAddress) {
    super(Status.Code.UNAVAILABLE, message, null);
    this.leaderId = blankToNull(leaderId);
    this.leaderAddress = blankToNull(leaderAddress);
  }

  /** Member id of the leader, when known. */
  public Optional<String> leaderId() {
    return Optional.ofNullable(leaderId);
  }

  /** host:port of the leader's gRPC API, when known. */
  public Optional<String> leaderAddress() {
    return Optional.ofNullable(leaderAddress);
  }

  @Override
  public boolean retryable() {
    return true;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
