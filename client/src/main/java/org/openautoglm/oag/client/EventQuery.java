package org.openautoglm.oag.client;

/**
 * Which events {@link CoordinatorClient#events} delivers: those of log entries after
 * {@code sinceIndex} (0 = from the oldest retained), in (index, position) order. Immutable;
 * start from {@link #all()} or {@link #since(long)}.
 *
 * @param follow keep delivering new events as they are applied, until closed
 * @param limit without follow: at most this many; 0 = the server's default (1000); ignored
 *     with follow
 */
public record EventQuery(long sinceIndex, boolean follow, int limit) {

  public EventQuery {
    if (sinceIndex < 0) {
      throw new IllegalArgumentException("sinceIndex must not be negative: " + sinceIndex);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  public static EventQuery all() {
    return new EventQuery(0, false, 0);
  }

  public static EventQuery since(long index) {
    return new EventQuery(index, false, 0);
  }

  /** Shorthand for {@code withFollow(true)}. */
  public EventQuery following() {
    return withFollow(true);
  }

  public EventQuery withFollow(boolean f) {
    return new EventQuery(sinceIndex, f, limit);
  }

  public EventQuery withLimit(int n) {
    return new EventQuery(sinceIndex, follow, n);
  }
}
