package org.openautoglm.oag.bench.etcd;

import io.grpc.Status;

/**
 * The one place that decides what an etcd error means for the next attempt. etcd 3.4 answers
 * leader trouble with UNAVAILABLE ("etcdserver: no leader", "leader changed", "request timed
 * out", "server stopped", ...) and a refused leader-only call with FAILED_PRECONDITION
 * ("etcdserver: not leader"); its ResourceExhausted means "too many requests" (retry) or
 * "database space exceeded" (do not).
 */
final class EtcdErrors {
  /** What to do after a failed attempt. */
  enum Next {
    /** Look for the leader again, back off, retry. */
    FIND_LEADER,
    /** Back off, retry at the same member. */
    SAME_MEMBER,
    /** Give up: retrying cannot help. */
    FAIL
  }

  private EtcdErrors() {}

  static Next next(Status status) {
    String d = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> Next.FIND_LEADER;
      case FAILED_PRECONDITION -> d.contains("not leader") ? Next.FIND_LEADER : Next.FAIL;
      case RESOURCE_EXHAUSTED -> d.contains("too many requests") ? Next.SAME_MEMBER : Next.FAIL;
      default -> Next.FAIL;
    };
  }

  /** One line for messages: code and etcd's text. */
  static String describe(Status status) {
    return status.getCode() + (status.getDescription() == null ? ""
        : ": " + status.getDescription());
  }
}
