package org.openautoglm.oag.coordinator.scheduler;

import java.util.Map;
import java.util.Objects;

/**
 * A task's requirement on a node's labels: {@code key=value} (the node has the label with that
 * value) or {@code key!=value} (it does not: a node without the label matches). Immutable.
 */
public record Constraint(String key, boolean equal, String value) {

  public Constraint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new IllegalArgumentException("constraint needs a label key");
    }
  }

  /**
   * Parses {@code key=value} or {@code key!=value}.
   *
   * @throws IllegalArgumentException anything else, with a message naming the text
   */
  public static Constraint parse(String text) {
    Objects.requireNonNull(text, "text");
    int ne = text.indexOf("!=");
    int eq = text.indexOf('=');
    if (ne > 0) {
      return new Constraint(text.substring(0, ne).strip(), false, text.substring(ne + 2).strip());
    }
    if (eq > 0) {
      return new Constraint(text.substring(0, eq).strip(), true, text.substring(eq + 1).strip());
    }
    throw new IllegalArgumentException("'" + text + "' is not KEY=VALUE or KEY!=VALUE");
  }

  boolean matches(Map<String, String> labels) {
    return value.equals(labels.get(key)) == equal;
  }

  @Override
  public String toString() {
    return key + (equal ? "=" : "!=") + value;
  }
}
