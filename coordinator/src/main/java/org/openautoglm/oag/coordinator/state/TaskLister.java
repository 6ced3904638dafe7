package org.openautoglm.oag.coordinator.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Pages through the task views in sequence (creation) order. The page token
 * is the sequence number of the last task returned, so a page resumes exactly
 * after it whatever was created or deleted in between; no task is returned
 * twice and none that existed throughout is skipped.
 *
 * <p>Candidates come from the narrowest index the query allows: the node
 * index, else the union of the status indexes, else every task. Every
 * candidate is re-checked against all filters, since an index entry may be
 * momentarily stale while the apply thread publishes. Thread-safe.
 */
final class TaskLister {

  private static final int MAX_TOKEN_DIGITS = 18;

  private TaskLister() {}

  static TaskPage list(TaskViews views, TaskQuery query) {
    long after = parseToken(query.pageToken());
    int size = query.effectivePageSize();
    Iterator<Long> candidates = candidates(views, query, after);
    List<TaskRecord> page = new ArrayList<>(Math.min(size, 128));
    long last = after;
    while (candidates.hasNext()) {
      long seq = candidates.next();
      TaskViews.Entry entry = views.entry(seq);
      if (entry == null || !matches(query, entry)) {
        continue;
      }
      if (page.size() == size) {
        return new TaskPage(page, Long.toString(last));  // a further match exists
      }
      TaskRecord task = views.get(seq);
      if (task == null || !matches(query, TaskViews.Entry.of(task))) {
        continue;  // deleted or changed since the entry was read
      }
      page.add(task);
      last = seq;
    }
    return new TaskPage(page, "");
  }

  /** 0 for the first page, else the seq in the token. */
  static long parseToken(String token) {
    if (token.isEmpty()) {
      return 0;
    }
    boolean digits = token.length() <= MAX_TOKEN_DIGITS && token.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      throw new IllegalArgumentException("page_token: malformed page token '" + token + "'");
    }
    return Long.parseLong(token);
  }

  private static Iterator<Long> candidates(TaskViews views, TaskQuery query, long after) {
    if (!query.node().isEmpty()) {
      return views.onNode(query.node()).tailSet(after, false).iterator();
    }
    if (!query.statuses().isEmpty()) {
      List<Iterator<Long>> sources = new ArrayList<>();
      for (TaskStatus status : TaskStatus.values()) {  // enum order: deterministic
        if (query.statuses().contains(status)) {
          sources.add(views.withStatus(status).tailSet(after, false).iterator());
        }
      }
      return new Merged(sources);
    }
    return views.seqs().tailSet(after, false).iterator();
  }

  private static boolean matches(TaskQuery query, TaskViews.Entry task) {
    return (query.statuses().isEmpty() || query.statuses().contains(task.status()))
        && task.name().startsWith(query.namePrefix())
        && (query.node().isEmpty() || query.node().equals(task.node()));
  }

  /** Ascending union of ascending sequences, each value once. */
  private static final class Merged implements Iterator<Long> {
    private static final long DONE = Long.MAX_VALUE;  // never issued as a seq
    private final List<Iterator<Long>> sources;
    private final long[] heads;

    Merged(List<Iterator<Long>> sources) {
      this.sources = sources;
      this.heads = new long[sources.size()];
      for (int i = 0; i < heads.length; i++) {
        heads[i] = advance(i);
      }
    }

    private long advance(int i) {
      return sources.get(i).hasNext() ? sources.get(i).next() : DONE;
    }

    @Override
    public boolean hasNext() {
      for (long head : heads) {
        if (head != DONE) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Long next() {
      long min = DONE;
      for (long head : heads) {
        min = Math.min(min, head);
      }
      if (min == DONE) {
        throw new NoSuchElementException();
      }
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] == min) {
          heads[i] = advance(i);  // a seq seen in two indexes mid-publish comes out once
        }
      }
      return min;
    }
  }
}
