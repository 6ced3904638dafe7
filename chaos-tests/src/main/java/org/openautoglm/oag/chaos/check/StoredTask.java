package org.openautoglm.oag.chaos.check;

import java.util.Map;
import java.util.Objects;

/**
 * A stored task as the final read saw it: its id and the request id from its {@value
 * #REQUEST_LABEL} label (null when absent).
 */
public record StoredTask(String taskId, String requestId) {

  /** The label every chaos submit carries: the request id it was submitted with. */
  public static final String REQUEST_LABEL = "chaos.request";

  public StoredTask {
    Objects.requireNonNull(taskId, "taskId");
  }

  /** The task {@code taskId} with these labels. */
  public static StoredTask of(String taskId, Map<String, String> labels) {
    return new StoredTask(taskId, labels.get(REQUEST_LABEL));
  }
}
