package org.openautoglm.oag.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * One {@link Op} as one JSON line: {@code {"time":..,"process":..,"type":"invoke","f":..,
 * "key":..,"value":..,"error":..}}, type names lowercase, null fields left out. Thread-safe.
 */
final class OpJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OpJson() {}

  static String write(Op op) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("time", op.time());
    n.put("process", op.process());
    n.put("type", op.type().name().toLowerCase(Locale.ROOT));
    n.put("f", op.f());
    putIfPresent(n, "key", op.key());
    putIfPresent(n, "value", op.value());
    putIfPresent(n, "error", op.error());
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  /** Parses one line; IllegalArgumentException when it is not a complete op. */
  static Op read(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return new Op(
        required(n, "time").asLong(),
        required(n, "process").asInt(),
        OpType.valueOf(required(n, "type").asText().toUpperCase(Locale.ROOT)),
        required(n, "f").asText(),
        optional(n, "key"),
        optional(n, "value"),
        optional(n, "error"));
  }

  private static void putIfPresent(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return v;
  }

  private static String optional(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
