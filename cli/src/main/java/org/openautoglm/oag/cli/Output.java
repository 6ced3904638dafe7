package org.openautoglm.oag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.PlacementStrategy;
import org.openautoglm.oag.api.v1.Task;

/**
 * Renders results as human tables or as JSON with stable field names (a contract for
 * scripts: add fields, never rename). Times are ISO-8601 in JSON; absent values are null.
 * Nodes and events are rendered by {@link FleetOutput} with the primitives here.
 */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
      JSON.writer().with(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;

  Output(PrintWriter out) {
    this.out = out;
  }

  void json(Object node) {
    try {
      out.println(PRETTY.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /** One JSON value on one line (for streams: one object per line). */
  void jsonLine(Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /**
   * Raw bytes, as they came (task output): unchanged on the real stdout; decoded as UTF-8
   * on any other writer (tests), where a character split across two calls is mangled.
   */
  void bytes(byte[] data) {
    if (out instanceof RawPrintWriter raw) {
      raw.writeBytes(data);
    } else {
      out.write(new String(data, StandardCharsets.UTF_8));
      out.flush();
    }
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
    n.put("fencing", Units.fencingName(spec.getFencing()));
    n.set("thresholds", spec.hasThresholds() ? AllocationOutput.thresholdsJson(spec.getThresholds()) : null);
    n.put("stopGraceMs", spec.getStopGraceMs() == 0 ? null : spec.getStopGraceMs());
    ArrayNode constraints = n.putArray("constraints");
    spec.getConstraintsList().forEach(constraints::add);
    n.put("placement", spec.getPlacement() == PlacementStrategy.PLACEMENT_SPREAD ? "spread" : "binpack");
    n.set("allocation", t.hasAllocation() ? AllocationOutput.json(t.getAllocation()) : null);
    ArrayNode previous = n.putArray("previousAllocations");
    t.getPreviousAllocationsList().forEach(a -> previous.add(AllocationOutput.json(a)));
    n.put("previousAllocationsDropped", t.getPreviousAllocationsDropped());
    n.set("readiness", spec.hasReadiness() ? AllocationOutput.readinessJson(spec.getReadiness()) : null);
    n.put("movable", spec.getMovable());
    n.set("migration", t.hasMigration() ? AllocationOutput.migrationJson(t.getMigration()) : null);
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
    rows.add(new String[] {"Fencing:", Units.fencingName(spec.getFencing())});
    rows.add(new String[] {"Thresholds:", AllocationOutput.thresholds(spec.getThresholds())});
    rows.add(new String[] {"Stop grace:", spec.getStopGraceMs() == 0 ? "10s (default)"
        : durationName(spec.getStopGraceMs())});
    rows.add(new String[] {"Placement:", (spec.getPlacement() == PlacementStrategy.PLACEMENT_SPREAD
        ? "spread" : "binpack") + (spec.getConstraintsCount() == 0 ? ""
        : ", only where " + String.join(" and ", spec.getConstraintsList()))});
    rows.add(new String[] {"Readiness:", AllocationOutput.readiness(spec.getReadiness())});
    rows.add(new String[] {"Movable:", spec.getMovable() ? "yes" : "no"});
    rows.add(new String[] {"Priority:", Integer.toString(spec.getPriority())});
    rows.add(new String[] {"Labels:", labels(t)});
    rows.add(new String[] {"Created:", dash(time(t.getCreatedAtMs()))});
    rows.add(new String[] {"Updated:", dash(time(t.getUpdatedAtMs()))});
    rows.add(new String[] {"Finished:", dash(time(t.getFinishedAtMs()))});
    rows.add(new String[] {"Version:", Long.toString(t.getVersion())});
    rows.add(new String[] {"Message:", dash(t.getMessage())});
    AllocationOutput.rows(t, rows);
    table(null, rows);
  }

  void taskTable(List<Task> tasks) {
    List<String[]> rows = new ArrayList<>();
    for (Task t : tasks) {
      var r = t.getSpec().getResources();
      rows.add(new String[] {t.getId(), dash(t.getSpec().getName()), t.getState().name(),
          dash(desired(t.getDesired())), dash(node(t)), cores(r.getCpuMillis()),
          r.getMemoryMib() + "Mi", commandLine(t)});
    }
    table(new String[] {"ID", "NAME", "STATE", "DESIRED", "NODE", "CPU", "MEMORY", "COMMAND"},
        rows);
  }

  /** Tasks waiting for a place: what they ask for and the scheduler's reason they wait. */
  void pendingTable(List<Task> tasks) {
    List<String[]> rows = new ArrayList<>();
    for (Task t : tasks) {
      var r = t.getSpec().getResources();
      rows.add(new String[] {t.getId(), dash(t.getSpec().getName()), Integer.toString(t.getSpec().getPriority()),
          cores(r.getCpuMillis()), r.getMemoryMib() + "Mi", Integer.toString(r.getGpus()), dash(t.getMessage())});
    }
    table(new String[] {"ID", "NAME", "PRIORITY", "CPU", "MEMORY", "GPUS", "WAITING FOR"}, rows);
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

  /** Columns padded to their widest cell; {@code header} may be null. */
  void table(String[] header, List<String[]> rows) {
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

  /** The task's node, else (while the task record lags) its allocation's. */
  private static String node(Task t) {
    return t.getNode().isEmpty() ? t.getAllocation().getNode() : t.getNode();
  }

  /** {@code 500ms}, {@code 2.5s}, {@code 45s}, {@code 1m30s}, {@code 2h}. */
  static String durationName(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms % 1000 != 0) {
      return BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
    }
    long s = ms / 1000;
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }

  /** How long ago: {@code 0.4s ago}, {@code 3m12s ago}; {@code -} when unknown (negative). */
  static String ageName(long ms) {
    if (ms < 0) {
      return "-";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs ago", ms / 1000.0);
    }
    return durationName(ms / 1000 * 1000) + " ago";
  }

  /** MiB in the units {@code --memory} takes: {@code 512Mi}, {@code 16Gi}, {@code 1.5Gi}. */
  static String memoryName(long mib) {
    if (mib < 1024) {
      return mib + "Mi";
    }
    return BigDecimal.valueOf(mib).divide(BigDecimal.valueOf(1024), 1, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString() + "Gi";
  }

  static String time(long epochMs) {
    return epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
  }

  static String cores(int millis) {
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

  static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
