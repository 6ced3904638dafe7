package org.openautoglm.oag.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.Gpu;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Resources;

/**
 * Nodes and events, as tables, lines and JSON, with the conventions of {@link Output}:
 * stable JSON field names, null for absent values, ISO-8601 times.
 */
final class FleetOutput {
  /** Fixed width, so that event lines stay aligned as they stream. */
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FleetOutput() {}

  static void nodeTable(Output out, List<Node> nodes) {
    List<String[]> rows = new ArrayList<>();
    for (Node n : nodes) {
      Resources cap = n.getCapacity();
      Resources used = n.getUsed();
      rows.add(new String[] {n.getId(), nodeState(n.getState()), scheduling(n),
          Output.cores(used.getCpuMillis()) + "/" + Output.cores(cap.getCpuMillis()),
          Output.memoryName(used.getMemoryMib()) + "/" + Output.memoryName(cap.getMemoryMib()),
          used.getGpus() + "/" + cap.getGpus(), Integer.toString(n.getTasks()),
          Output.ageName(n.getLastHeartbeatAgeMs())});
    }
    out.table(new String[] {"ID", "STATE", "SCHEDULING", "CPU", "MEMORY", "GPUS", "TASKS", "HEARTBEAT"}, rows);
  }

  /** Whether new work may go there: {@code eligible}, {@code cordoned}, {@code draining}. */
  static String scheduling(Node n) {
    if (n.getDraining()) {
      return "draining";
    }
    return n.getEligibility() == NodeEligibility.NODE_CORDONED ? "cordoned" : "eligible";
  }

  static ArrayNode nodesJson(List<Node> nodes) {
    ArrayNode a = Output.JSON.createArrayNode();
    for (Node n : nodes) {
      ObjectNode j = a.addObject();
      j.put("id", n.getId());
      j.put("state", nodeState(n.getState()));
      j.put("address", n.getAddress().isEmpty() ? null : n.getAddress());
      j.put("connected", n.getConnected());
      j.set("capacity", resources(n.getCapacity()));
      j.set("used", resources(n.getUsed()));
      j.put("tasks", n.getTasks());
      j.put("lastHeartbeatAgeMs",
          n.getLastHeartbeatAgeMs() < 0 ? null : n.getLastHeartbeatAgeMs());
      j.put("cpuPercent", n.getCpuPercent());
      j.put("memoryUsedMiB", n.getMemoryUsedMib());
      j.put("eligibility", n.getEligibility() == NodeEligibility.NODE_CORDONED ? "CORDONED" : "ELIGIBLE");
      j.put("draining", n.getDraining());
      j.put("drainDeadline", n.getDraining() ? Output.time(n.getDrainDeadlineMs()) : null);
      ObjectNode labels = j.putObject("labels");
      new TreeMap<>(n.getLabelsMap()).forEach(labels::put);
      ArrayNode gpus = j.putArray("gpus");
      for (Gpu g : n.getGpusList()) {
        gpus.addObject().put("index", g.getIndex()).put("model", g.getModel())
            .put("memoryMiB", g.getMemoryMib());
      }
    }
    return a;
  }

  /** {@code TIME  INDEX  TYPE  task=.. alloc=.. node=..  MESSAGE}; absent ids left out. */
  static String eventLine(Event e) {
    StringBuilder subject = new StringBuilder();
    append(subject, "task", e.getTaskId());
    append(subject, "alloc", e.getAllocationId());
    append(subject, "node", e.getNode());
    String time = e.getTimeMs() > 0 ? EVENT_TIME.format(Instant.ofEpochMilli(e.getTimeMs()))
        : "-";
    return String.format("%s  %6d  %-18s  %s  %s", time, e.getIndex(), e.getType(),
        Output.dash(subject.toString()), e.getMessage()).stripTrailing();
  }

  static ObjectNode eventJson(Event e) {
    ObjectNode j = Output.JSON.createObjectNode();
    j.put("index", e.getIndex());
    j.put("position", e.getPosition());
    j.put("time", Output.time(e.getTimeMs()));
    j.put("type", e.getType());
    j.put("taskId", e.getTaskId().isEmpty() ? null : e.getTaskId());
    j.put("allocationId", e.getAllocationId().isEmpty() ? null : e.getAllocationId());
    j.put("node", e.getNode().isEmpty() ? null : e.getNode());
    j.put("message", e.getMessage());
    return j;
  }

  private static void append(StringBuilder b, String key, String value) {
    if (!value.isEmpty()) {
      b.append(b.length() == 0 ? "" : " ").append(key).append('=').append(value);
    }
  }

  private static ObjectNode resources(Resources r) {
    ObjectNode j = Output.JSON.createObjectNode();
    j.put("cpu", r.getCpuMillis() / 1000.0);
    j.put("memoryMiB", r.getMemoryMib());
    j.put("gpus", r.getGpus());
    return j;
  }

  private static String nodeState(NodeState s) {
    return switch (s) {
      case NODE_UP -> "UP";
      case NODE_DOWN -> "DOWN";
      default -> "-";
    };
  }
}
