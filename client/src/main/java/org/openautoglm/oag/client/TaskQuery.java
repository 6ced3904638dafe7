package org.openautoglm.oag.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.TaskState;

/**
 * Which tasks {@link CoordinatorClient#list} returns: any of {@code states} (empty = all),
 * names starting with {@code namePrefix}, placed on {@code node} (empty = any). Immutable;
 * start from {@link #all()} and narrow with the {@code with...} methods.
 *
 * @param pageSize tasks per page; 0 lets the server pick (100); at most 1000
 * @param consistency LINEARIZABLE (default) or STALE (served by any node, possibly behind)
 */
public record TaskQuery(
    List<TaskState> states, String namePrefix, String node, int pageSize,
    ReadConsistency consistency) {

  public TaskQuery {
    states = List.copyOf(states);
    namePrefix = Objects.requireNonNullElse(namePrefix, "");
    node = Objects.requireNonNullElse(node, "");
    if (pageSize < 0 || pageSize > 1000) {
      throw new IllegalArgumentException("pageSize must be 0..1000: " + pageSize);
    }
    consistency = Objects.requireNonNullElse(consistency, ReadConsistency.LINEARIZABLE);
  }

  public static TaskQuery all() {
    return new TaskQuery(List.of(), "", "", 0, ReadConsistency.LINEARIZABLE);
  }

  public TaskQuery withStates(TaskState... s) {
    return withStates(Arrays.asList(s));
  }

  public TaskQuery withStates(List<TaskState> s) {
    return new TaskQuery(s, namePrefix, node, pageSize, consistency);
  }

  public TaskQuery withNamePrefix(String p) {
    return new TaskQuery(states, p, node, pageSize, consistency);
  }

  public TaskQuery withNode(String n) {
    return new TaskQuery(states, namePrefix, n, pageSize, consistency);
  }

  public TaskQuery withPageSize(int size) {
    return new TaskQuery(states, namePrefix, node, size, consistency);
  }

  public TaskQuery withConsistency(ReadConsistency c) {
    return new TaskQuery(states, namePrefix, node, pageSize, c);
  }

  /** Shorthand for {@code withConsistency(STALE)}. */
  public TaskQuery stale() {
    return withConsistency(ReadConsistency.STALE);
  }

  ListTasksRequest toRequest(String pageToken) {
    return ListTasksRequest.newBuilder()
        .setPageSize(pageSize)
        .setPageToken(Objects.requireNonNullElse(pageToken, ""))
        .addAllStates(states)
        .setNamePrefix(namePrefix)
        .setNode(node)
        .setConsistency(consistency)
        .build();
  }
}
