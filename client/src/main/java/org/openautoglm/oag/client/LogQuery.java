package org.openautoglm.oag.client;

import java.util.Objects;
import org.openautoglm.oag.api.v1.LogsRequest;

/**
 * Which output {@link CoordinatorClient#logs} delivers: the last {@code tailBytes} of the
 * task's current allocation's stdout (or stderr), then, with {@code follow}, new output as
 * it is written until the allocation ends or the subscription is closed. Immutable; start
 * from {@link #of(String)}.
 *
 * @param tailBytes how much of the existing output; 0 = the server's default (64 KiB)
 */
public record LogQuery(String taskId, boolean follow, long tailBytes, boolean stderr) {

  public LogQuery {
    if (taskId == null || taskId.isBlank()) {
      throw new IllegalArgumentException("task id must not be empty");
    }
    if (tailBytes < 0) {
      throw new IllegalArgumentException("tailBytes must not be negative: " + tailBytes);
    }
  }

  public static LogQuery of(String taskId) {
    return new LogQuery(taskId, false, 0, false);
  }

  /** Shorthand for {@code withFollow(true)}. */
  public LogQuery following() {
    return withFollow(true);
  }

  public LogQuery withFollow(boolean f) {
    return new LogQuery(taskId, f, tailBytes, stderr);
  }

  public LogQuery withTailBytes(long n) {
    return new LogQuery(taskId, follow, n, stderr);
  }

  /** stderr instead of stdout. */
  public LogQuery withStderr(boolean e) {
    return new LogQuery(taskId, follow, tailBytes, e);
  }

  LogsRequest toRequest() {
    return LogsRequest.newBuilder().setTaskId(Objects.requireNonNull(taskId))
        .setFollow(follow).setTailBytes(tailBytes).setStderr(stderr).build();
  }
}
