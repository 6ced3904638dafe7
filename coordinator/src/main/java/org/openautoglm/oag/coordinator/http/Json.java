package org.openautoglm.oag.coordinator.http;

/** Just enough JSON writing for flat objects of string values; the coordinator has no JSON library. */
final class Json {

  private Json() {}

  /** {@code object("a", "1", "b", "2")} is {@code {"a":"1","b":"2"}}. Values may be null. */
  static String object(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up");
    }
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      quote(out, keysAndValues[i]).append(':');
      if (keysAndValues[i + 1] == null) {
        out.append("null");
      } else {
        quote(out, keysAndValues[i + 1]);
      }
    }
    return out.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
