package org.openautoglm.oag.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.DrainItem;
import org.openautoglm.oag.api.v1.DrainReport;
import org.openautoglm.oag.api.v1.DrainStatusReply;
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
      j.set("lastDrain", n.hasLastDrain() ? drainReportJson(n.getLastDrain()) : null);
    }
    return a;
  }

  /**
   * A drain's progress: header lines (draining, started, deadline, migrated), one row per
   * allocation the drain waits for, then how the node's last drain ended.
   */
  static void drainDetail(Output out, DrainStatusReply s) {
    List<String[]> header = new ArrayList<>();
    header.add(new String[] {"Node:", s.getNodeId()});
    header.add(new String[] {"Draining:", s.getDraining() ? "yes" : "no"});
    if (s.getDraining()) {
      header.add(new String[] {"Started:", Output.dash(Output.time(s.getStartedAtMs()))});
      header.add(new String[] {"Deadline:", s.getDeadlineMs() == 0 ? "none"
          : Output.time(s.getDeadlineMs())});
      header.add(new String[] {"Migrated:", Integer.toString(s.getMigrated())});
      header.add(new String[] {"Remaining:", s.getRemainingCount() == 0 ? "nothing"
          : s.getRemainingCount() + (s.getRemainingCount() == 1 ? " allocation" : " allocations")});
    }
    out.table(null, header);
    if (s.getRemainingCount() > 0) {
      List<String[]> rows = new ArrayList<>();
      for (DrainItem i : s.getRemainingList()) {
        rows.add(new String[] {i.getTaskId(), Output.dash(i.getAllocationId()),
            Output.dash(AllocationOutput.allocationState(i.getState())), Output.dash(i.getWaitingFor())});
      }
      out.line("");
      out.table(new String[] {"TASK", "ALLOCATION", "STATE", "WAITING FOR"}, rows);
    }
    if (s.hasLast()) {
      DrainReport r = s.getLast();
      out.line("");
      out.table(null, List.of(
          new String[] {"Last drain:", Output.dash(r.getOutcome())},
          new String[] {"  Started:", Output.dash(Output.time(r.getStartedAtMs()))},
          new String[] {"  Ended:", Output.dash(Output.time(r.getEndedAtMs()))},
          new String[] {"  Deadline:", r.getDeadlineMs() == 0 ? "none" : Output.time(r.getDeadlineMs())},
          new String[] {"  Migrated:", Integer.toString(r.getMigrated())},
          new String[] {"  Stopped at deadline:", r.getStoppedAtDeadlineCount() == 0 ? "-"
              : String.join(", ", r.getStoppedAtDeadlineList())}));
    }
  }

  static ObjectNode drainJson(DrainStatusReply s) {
    ObjectNode j = Output.JSON.createObjectNode();
    j.put("nodeId", s.getNodeId());
    j.put("draining", s.getDraining());
    j.put("startedAt", Output.time(s.getStartedAtMs()));
    j.put("deadline", Output.time(s.getDeadlineMs()));
    j.put("migrated", s.getMigrated());
    ArrayNode remaining = j.putArray("remaining");
    for (DrainItem i : s.getRemainingList()) {
      remaining.addObject()
          .put("taskId", i.getTaskId())
          .put("allocationId", i.getAllocationId().isEmpty() ? null : i.getAllocationId())
          .put("state", i.getState() == AllocationState.ALLOCATION_STATE_UNSPECIFIED ? null
              : AllocationOutput.allocationState(i.getState()))
          .put("waitingFor", i.getWaitingFor());
    }
    j.set("last", s.hasLast() ? drainReportJson(s.getLast()) : null);
    return j;
  }

  private static ObjectNode drainReportJson(DrainReport r) {
    ObjectNode j = Output.JSON.createObjectNode();
    j.put("outcome", r.getOutcome());
    j.put("startedAt", Output.time(r.getStartedAtMs()));
    j.put("endedAt", Output.time(r.getEndedAtMs()));
    j.put("deadline", Output.time(r.getDeadlineMs()));
    j.put("migrated", r.getMigrated());
    ArrayNode stopped = j.putArray("stoppedAtDeadline");
    r.getStoppedAtDeadlineList().forEach(stopped::add);
    return j;
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
