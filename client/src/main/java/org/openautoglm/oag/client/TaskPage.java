package org.openautoglm.oag.client;

import java.util.List;
import org.openautoglm.oag.api.v1.Task;

/** One page of {@link CoordinatorClient#list}; {@code nextPageToken} is empty on the last. */
public record TaskPage(List<Task> tasks, String nextPageToken) {
  public TaskPage {
    tasks = List.copyOf(tasks);
    nextPageToken = nextPageToken == null ? "" : nextPageToken;
  }

  public boolean isLast() {
    return nextPageToken.isEmpty();
  }
}
