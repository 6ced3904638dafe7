package org.openautoglm.oag.coordinator.state;

import java.util.List;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * One page of tasks in creation order. {@code nextPageToken} is {@code ""} on
 * the last page; otherwise it continues the same query.
 */
public record TaskPage(List<TaskRecord> tasks, String nextPageToken) {

  public TaskPage {
    tasks = List.copyOf(tasks);
    nextPageToken = nextPageToken == null ? "" : nextPageToken;
  }

  public boolean isLast() {
    return nextPageToken.isEmpty();
  }
}
