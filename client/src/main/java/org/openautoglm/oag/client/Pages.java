package org.openautoglm.oag.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.openautoglm.oag.api.v1.Task;

/** Lazily walks the pages of a task listing. */
final class Pages implements Iterator<Task> {
  private final CoordinatorClient client;
  private final TaskQuery query;
  private Iterator<Task> page;
  private String token = "";
  private boolean lastFetched;

  private Pages(CoordinatorClient client, TaskQuery query) {
    this.client = client;
    this.query = query;
  }

  static Stream<Task> stream(CoordinatorClient client, TaskQuery query) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(
        new Pages(client, query), Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public boolean hasNext() {
    while (page == null || !page.hasNext()) {
      if (lastFetched) {
        return false;
      }
      TaskPage p = client.list(query, token);
      page = p.tasks().iterator();
      token = p.nextPageToken();
      lastFetched = p.isLast();
    }
    return true;
  }

  @Override
  public Task next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.next();
  }
}
