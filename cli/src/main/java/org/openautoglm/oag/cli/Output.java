package org.openautoglm.oag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.Task;

/**
 * Renders results as human tables or as JSON with stable field names (a contract for
 * scripts: add fields, never rename). Times are ISO-8601 in JSON; absent values are null.
 */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;

  Output(PrintWriter out) {
    this.out = out;
  }

  void json(Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static ObjectNode taskJson(Task t) {
    var spec = t.getSpec();
    ObjectNode n = JSON.createObjectNode();
    n.put("id", t.getId());
    n.put("name", spec.getName());
    n.put("state", t.getState().name());
    n.put("desired", desired(t.getDesired()));
    n.put("node", t.getNode().isEmpty() ? null : t.getNode());
    n.put("command", spec.getCommand());
    ArrayNode args = n.putArray("args");
    spec.getArgsList().forEach(args::add);
    n.put("cpu", spec.getResources().getCpuMillis() / 1000.0);
    n.put("memoryMiB", spec.getResources().getMemoryMib());
    n.put("gpus", spec.getResources().getGpus());
    n.put("restart", Units.restartName(spec.getRestart()));
    ObjectNode labels = n.putObject("labels");
    new TreeMap<>(spec.getLabelsMap()).forEach(labels::put);
    n.put("priority", spec.getPriority());
    n.put("createdAt", time(t.getCreatedAtMs()));
    n.put("updatedAt", time(t.getUpdatedAtMs()));
    n.put("finishedAt", time(t.getFinishedAtMs()));
    n.put("version", t.getVersion());
    n.put("message", t.getMessage());
    return n;
  }

  static ArrayNode tasksJson(List<Task> tasks) {
    ArrayNode a = JSON.createArrayNode();
    tasks.forEach(t -> a.add(taskJson(t)));
    return a;
  }

  static ObjectNode clusterJson(ClusterStatus s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("clusterId", s.getClusterId());
    n.put("leader", s.getLeader().isEmpty() ? null : s.getLeader());
    n.put("term", s.getTerm());
    n.put("answeredBy", s.getAnsweredBy());
    ArrayNode members = n.putArray("members");
    for (Member m : s.getMembersList()) {
      ObjectNode j = members.addObject();
      j.put("id", m.getId());
      j.put("address", m.getRaftAddress());
      j.put("apiAddress", m.getApiAddress());
      j.put("role", m.getRole());
      j.put("term", m.getTerm());
      j.put("commitIndex", m.getCommitIndex());
      j.put("appliedIndex", m.getAppliedIndex());
      j.put("digest", m.getDigest());
      j.put("reachable", m.getReachable());
    }
    return n;
  }

  void taskDetail(Task t) {
    var spec = t.getSpec();
    var r = spec.getResources();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID:", t.getId()});
    rows.add(new String[] {"Name:", spec.getName()});
    rows.add(new String[] {"State:", t.getState().name()});
    rows.add(new String[] {"Desired:", dash(desired(t.getDesired()))});
    rows.add(new String[] {"Node:", dash(t.getNode())});
    rows.add(new String[] {"Command:", commandLine(t)});
    rows.add(new String[] {"Resources:", "cpu " + cores(r.getCpuMillis()) + ", memory "
        + r.getMemoryMib() + "Mi, gpus " + r.getGpus()});
    rows.add(new String[] {"Restart:", Units.restartName(spec.getRestart())});
    rows.add(new String[] {"Priority:", Integer.toString(spec.getPriority())});
    rows.add(new String[] {"Labels:", labels(t)});
    rows.add(new String[] {"Created:", dash(time(t.getCreatedAtMs()))});
    rows.add(new String[] {"Updated:", dash(time(t.getUpdatedAtMs()))});
    rows.add(new String[] {"Finished:", dash(time(t.getFinishedAtMs()))});
    rows.add(new String[] {"Version:", Long.toString(t.getVersion())});
    rows.add(new String[] {"Message:", dash(t.getMessage())});
    table(null, rows);
  }

  void taskTable(List<Task> tasks) {
    List<String[]> rows = new ArrayList<>();
    for (Task t : tasks) {
      var r = t.getSpec().getResources();
      rows.add(new String[] {t.getId(), dash(t.getSpec().getName()), t.getState().name(),
          dash(desired(t.getDesired())), dash(t.getNode()), cores(r.getCpuMillis()),
          r.getMemoryMib() + "Mi", commandLine(t)});
    }
    table(new String[] {"ID", "NAME", "STATE", "DESIRED", "NODE", "CPU", "MEMORY", "COMMAND"},
        rows);
  }

  void clusterTable(ClusterStatus s) {
    out.printf("cluster %s  leader %s  term %d  (answered by %s)%n", s.getClusterId(),
        dash(s.getLeader()), s.getTerm(), dash(s.getAnsweredBy()));
    List<String[]> rows = new ArrayList<>();
    for (Member m : s.getMembersList()) {
      rows.add(new String[] {m.getId(), m.getRole(), Long.toString(m.getTerm()),
          Long.toString(m.getCommitIndex()), Long.toString(m.getAppliedIndex()),
          dash(m.getDigest()), m.getReachable() ? "yes" : "no", m.getApiAddress(),
          m.getRaftAddress()});
    }
    table(new String[] {"ID", "ROLE", "TERM", "COMMIT", "APPLIED", "DIGEST", "REACHABLE", "API",
        "RAFT"}, rows);
  }

  void line(String s) {
    out.println(s);
    out.flush();
  }

  private void table(String[] header, List<String[]> rows) {
    List<String[]> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    if (all.isEmpty()) {
      return;
    }
    int[] width = new int[all.get(0).length];
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : all) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        b.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
      }
      out.println(b.toString().stripTrailing());
    }
    out.flush();
  }

  private static String desired(DesiredState d) {
    return switch (d) {
      case DESIRED_RUNNING -> "RUNNING";
      case DESIRED_PAUSED -> "PAUSED";
      case DESIRED_STOPPED -> "STOPPED";
      default -> null;
    };
  }

  private static String time(long epochMs) {
    return epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
  }

  private static String cores(int millis) {
    return millis % 1000 == 0 ? Integer.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }

  private static String commandLine(Task t) {
    StringBuilder b = new StringBuilder(t.getSpec().getCommand());
    t.getSpec().getArgsList().forEach(a -> b.append(' ').append(a));
    return b.toString();
  }

  private static String labels(Task t) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(t.getSpec().getLabelsMap()).forEach((k, v) ->
        b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return dash(b.toString());
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
