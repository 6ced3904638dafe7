package org.openautoglm.oag.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openautoglm.oag.api.v1.Allocation;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.Migration;
import org.openautoglm.oag.api.v1.ProcessMetrics;
import org.openautoglm.oag.api.v1.Readiness;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.Thresholds;

/**
 * The parts of {@code task get} about running: the task's limits and readiness check, its
 * current (or last) allocation and a migration under way, as JSON fields and as detail rows. Live metrics are only in the leader's
 * memory, so they show as {@code -} (null in JSON) when a follower answered.
 */
final class AllocationOutput {

  private AllocationOutput() {}

  static ObjectNode thresholdsJson(Thresholds t) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("maxMemoryMiB", t.getMaxMemoryMib() == 0 ? null : t.getMaxMemoryMib());
    n.put("maxCpuPercent", t.getMaxCpuPercent() == 0 ? null : t.getMaxCpuPercent());
    n.put("cpuForMs", t.getCpuForMs() == 0 ? null : t.getCpuForMs());
    n.put("maxRuntimeMs", t.getMaxRuntimeMs() == 0 ? null : t.getMaxRuntimeMs());
    n.put("onThreshold", t.getKill() ? "kill" : "restart");
    return n;
  }

  static ObjectNode readinessJson(Readiness r) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("tcpPort", r.getTcpPort() == 0 ? null : r.getTcpPort());
    ArrayNode command = n.putArray("command");
    r.getCommandList().forEach(command::add);
    n.put("periodMs", r.getPeriodMs() == 0 ? null : r.getPeriodMs());
    n.put("timeoutMs", r.getTimeoutMs() == 0 ? null : r.getTimeoutMs());
    return n;
  }

  static ObjectNode migrationJson(Migration m) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("fromNode", m.getFromNode());
    n.put("reason", m.getReason());
    n.put("startedAt", Output.time(m.getStartedAtMs()));
    n.put("mode", mode(m));
    n.put("toNode", m.getToNode().isEmpty() ? null : m.getToNode());
    n.set("old", m.hasOld() ? json(m.getOld()) : null);
    n.put("handedOverAt", Output.time(m.getHandedOverAtMs()));
    n.put("forced", m.getForced());
    n.put("blocked", m.getBlocked().isEmpty() ? null : m.getBlocked());
    return n;
  }

  static ObjectNode json(Allocation a) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("id", a.getId());
    n.put("generation", a.getGeneration());
    n.put("node", a.getNode().isEmpty() ? null : a.getNode());
    n.put("state", allocationState(a.getState()));
    n.put("pid", a.getPid() == 0 ? null : a.getPid());
    n.put("restarts", a.getRestarts());
    n.put("exited", a.getExited());
    n.put("exitCode", a.getExited() ? a.getExitCode() : null);
    n.put("placedAt", Output.time(a.getPlacedAtMs()));
    n.put("startedAt", Output.time(a.getStartedAtMs()));
    n.put("endedAt", Output.time(a.getEndedAtMs()));
    n.put("reason", a.getReason().isEmpty() ? null : a.getReason());
    if (a.hasMetrics()) {
      ProcessMetrics m = a.getMetrics();
      ObjectNode j = n.putObject("metrics");
      j.put("cpuPercent", m.getCpuPercent());
      j.put("rssMiB", m.getRssMib());
      j.put("uptimeMs", m.getUptimeMs());
      j.put("gpuPercent", m.getGpuPercent());
      j.put("gpuMemoryMiB", m.getGpuMemoryMib());
      j.put("sampledAt", Output.time(m.getSampledAtMs()));
    } else {
      n.putNull("metrics");
    }
    n.put("ready", a.getReady());
    return n;
  }

  static void rows(Task t, List<String[]> rows) {
    if (!t.hasAllocation()) {
      rows.add(new String[] {"Allocation:", "-"});
      return;
    }
    Allocation a = t.getAllocation();
    rows.add(new String[] {"Allocation:", Output.dash(a.getId()) + " (generation " + a.getGeneration()
        + ")"});
    rows.add(new String[] {"  State:", Output.dash(allocationState(a.getState()))});
    rows.add(new String[] {"  Ready:", a.getReady() ? "yes" : "no"});
    rows.add(new String[] {"  Node:", Output.dash(a.getNode())});
    rows.add(new String[] {"  PID:", a.getPid() == 0 ? "-" : Long.toString(a.getPid())});
    rows.add(new String[] {"  Restarts:", Integer.toString(a.getRestarts())});
    boolean live = a.hasMetrics();
    rows.add(new String[] {"  CPU:", live ? String.format(Locale.ROOT, "%.1f%%",
        a.getMetrics().getCpuPercent()) : "-"});
    rows.add(new String[] {"  RSS:", live ? a.getMetrics().getRssMib() + "Mi" : "-"});
    if (a.getExited()) {
      rows.add(new String[] {"  Exit code:", Integer.toString(a.getExitCode())});
    }
    rows.add(new String[] {"  Started:", Output.dash(Output.time(a.getStartedAtMs()))});
    rows.add(new String[] {"  Ended:", Output.dash(Output.time(a.getEndedAtMs()))});
    rows.add(new String[] {"  Reason:", Output.dash(a.getReason())});
    if (t.hasMigration()) {
      migration(t.getMigration(), rows);
    }
    history(t, rows);
  }

  /** Why and how the task is being moved, and how far it got. */
  private static void migration(Migration m, List<String[]> rows) {
    rows.add(new String[] {"Migration:", Output.dash(m.getReason()) + " from " + Output.dash(m.getFromNode())
        + (m.getToNode().isEmpty() ? "" : " to " + m.getToNode()) + ", " + mode(m)
        + (m.getForced() ? ", forced: the drain's deadline passed" : "")});
    rows.add(new String[] {"  Started:", Output.dash(Output.time(m.getStartedAtMs()))});
    rows.add(new String[] {"  Blocked:", Output.dash(m.getBlocked())});
    rows.add(new String[] {"  Handover:", Output.dash(Output.time(m.getHandedOverAtMs()))});
    rows.add(new String[] {"  Old:", m.hasOld() ? summary(m.getOld()) : "-"});
  }

  private static String mode(Migration m) {
    return m.getMakeBeforeBreak() ? "make-before-break" : "break-before-make";
  }

  /** Every allocation of the task, oldest first, one line each (older ones not kept: counted). */
  private static void history(Task t, List<String[]> rows) {
    String dropped = t.getPreviousAllocationsDropped() == 0 ? ""
        : " (" + t.getPreviousAllocationsDropped() + " older not kept)";
    int count = t.getPreviousAllocationsCount() + 1;
    rows.add(new String[] {"History:", count + (count == 1 ? " allocation" : " allocations") + dropped});
    List<Allocation> all = new ArrayList<>(t.getPreviousAllocationsList());
    all.add(t.getAllocation());
    for (Allocation a : all) {
      rows.add(new String[] {"  #" + a.getGeneration() + ":", summary(a)});
    }
  }

  /** {@code a1 EXITED, placed ..., started ..., ended ... (exit 0)}, and why it ended. */
  static String summary(Allocation a) {
    StringBuilder b = new StringBuilder(Output.dash(a.getNode())).append(' ')
        .append(Output.dash(allocationState(a.getState())))
        .append(", placed ").append(Output.dash(Output.time(a.getPlacedAtMs())))
        .append(", started ").append(Output.dash(Output.time(a.getStartedAtMs())))
        .append(", ended ").append(Output.dash(Output.time(a.getEndedAtMs())));
    if (a.getExited()) {
      b.append(", exit ").append(a.getExitCode());
    }
    if (!a.getReason().isEmpty()) {
      b.append(": ").append(a.getReason());
    }
    return b.toString();
  }

  /** {@code memory 2Gi, cpu 150% for 30s, runtime 1h; then kill}, or {@code -}. */
  static String thresholds(Thresholds t) {
    List<String> parts = new ArrayList<>();
    if (t.getMaxMemoryMib() > 0) {
      parts.add("memory " + Output.memoryName(t.getMaxMemoryMib()));
    }
    if (t.getMaxCpuPercent() > 0) {
      parts.add("cpu " + t.getMaxCpuPercent() + "% for " + Output.durationName(t.getCpuForMs()));
    }
    if (t.getMaxRuntimeMs() > 0) {
      parts.add("runtime " + Output.durationName(t.getMaxRuntimeMs()));
    }
    return parts.isEmpty() ? "-"
        : String.join(", ", parts) + "; then " + (t.getKill() ? "kill" : "restart");
  }

  /** {@code tcp 8080, every 1s, timeout 1s}, {@code command check.sh --fast, ...}, or {@code -}. */
  static String readiness(Readiness r) {
    if (r.getTcpPort() == 0 && r.getCommandCount() == 0) {
      return "-";
    }
    String check = r.getTcpPort() != 0 ? "tcp " + r.getTcpPort() : "command " + String.join(" ", r.getCommandList());
    return check + ", every " + Output.durationName(r.getPeriodMs() == 0 ? 1000 : r.getPeriodMs())
        + ", timeout " + Output.durationName(r.getTimeoutMs() == 0 ? 1000 : r.getTimeoutMs());
  }

  /** {@code RUNNING} for ALLOCATION_RUNNING; null when unspecified. */
  static String allocationState(AllocationState s) {
    return s == AllocationState.ALLOCATION_STATE_UNSPECIFIED || s == AllocationState.UNRECOGNIZED
        ? null : s.name().substring("ALLOCATION_".length());
  }
}
