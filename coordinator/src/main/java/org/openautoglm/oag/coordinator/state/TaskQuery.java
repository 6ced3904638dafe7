package org.openautoglm.oag.coordinator.state;

import java.util.Set;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * One page request of {@link StateStore#listTasks}. Filters combine with AND:
 * status is any of {@code statuses} (empty = all), the name starts with
 * {@code namePrefix} (empty = any), the node is exactly {@code node} (empty =
 * any). {@code pageToken} is the previous page's {@link TaskPage#nextPageToken}
 * ({@code ""} for the first page). {@code pageSize} is clamped to 1..1000; 0
 * means 100. Nulls read as the empty value.
 */
public record TaskQuery(
    Set<TaskStatus> statuses, String namePrefix, String node, String pageToken, int pageSize) {

  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  public TaskQuery {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    namePrefix = namePrefix == null ? "" : namePrefix;
    node = node == null ? "" : node;
    pageToken = pageToken == null ? "" : pageToken;
  }

  /** The first page of all tasks. */
  public static TaskQuery all(int pageSize) {
    return new TaskQuery(Set.of(), "", "", "", pageSize);
  }

  /** The same query continued at {@code token}. */
  public TaskQuery withPageToken(String token) {
    return new TaskQuery(statuses, namePrefix, node, token, pageSize);
  }

  /** The page size actually used: 0 means the default, then clamped to 1..1000. */
  public int effectivePageSize() {
    if (pageSize == 0) {
      return DEFAULT_PAGE_SIZE;
    }
    return Math.max(1, Math.min(MAX_PAGE_SIZE, pageSize));
  }
}
