package org.openautoglm.oag.coordinator.state;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.PlacementStrategy;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.Restart;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

/**
 * The rules a task spec must satisfy. Field paths are those of the public
 * {@code TaskSpec} (resources nested under {@code spec.resources}). Maps are
 * checked in key order so the reported violation is deterministic.
 */
final class TaskSpecRules {

  static final int MAX_SPEC_BYTES = 64 * 1024;
  static final int MAX_COMMAND_CHARS = 4096;
  static final int MAX_ARGS = 1024;
  static final int MAX_NAME_CHARS = 253;
  static final int MAX_KEY_CHARS = 253;
  static final int MAX_WORKING_DIR_CHARS = 4096;
  static final int MAX_CPU_MILLIS = 1_000_000;
  static final long MAX_MEMORY_MIB = 16_777_216;
  static final int MAX_GPUS = 64;
  static final int MAX_PRIORITY = 1000;
  static final long MAX_STOP_GRACE_MS = 3_600_000;
  static final int MAX_CPU_PERCENT = 100_000;  // a thousand cores

  private TaskSpecRules() {}

  static Optional<Violation> check(TaskSpecRecord spec) {
    int size = spec.getSerializedSize();
    if (size > MAX_SPEC_BYTES) {
      return Violation.of("spec", size + " bytes, at most " + MAX_SPEC_BYTES);
    }
    Optional<Violation> bad = checkCommand(spec);
    if (bad.isEmpty()) {
      bad = checkArgs(spec);
    }
    if (bad.isEmpty()) {
      bad = checkName(spec.getName());
    }
    if (bad.isEmpty()) {
      bad = checkNumbers(spec);
    }
    if (bad.isEmpty()) {
      bad = checkMap("spec.env", spec.getEnvMap(), true);
    }
    if (bad.isEmpty()) {
      bad = checkMap("spec.labels", spec.getLabelsMap(), false);
    }
    if (bad.isEmpty()) {
      bad = checkWorkingDir(spec.getWorkingDir());
    }
    if (bad.isEmpty() && spec.getRestart() == Restart.UNRECOGNIZED) {
      bad = Violation.of("spec.restart", "unknown restart policy " + spec.getRestartValue());
    }
    if (bad.isEmpty() && spec.getFencing() == Fencing.UNRECOGNIZED) {
      bad = Violation.of("spec.fencing", "unknown fencing mode " + spec.getFencingValue());
    }
    if (bad.isEmpty() && (spec.getStopGraceMs() < 0 || spec.getStopGraceMs() > MAX_STOP_GRACE_MS)) {
      bad = outOfRange("spec.stop_grace_ms", spec.getStopGraceMs(), 0, MAX_STOP_GRACE_MS);
    }
    if (bad.isEmpty()) {
      bad = checkThresholds(spec.getThresholds());
    }
    if (bad.isEmpty()) {
      bad = checkConstraints(spec);
    }
    if (bad.isEmpty() && spec.getPlacement() == PlacementStrategy.UNRECOGNIZED) {
      bad = Violation.of("spec.placement", "unknown placement strategy " + spec.getPlacementValue());
    }
    if (bad.isEmpty() && spec.hasReadiness()) {
      bad = checkReadiness(spec.getReadiness());
    }
    return bad;
  }

  static final long MAX_READINESS_MS = 600_000;

  /** A TCP port or a command, not both; period and timeout within ten minutes. */
  private static Optional<Violation> checkReadiness(ReadinessRecord r) {
    boolean port = r.getTcpPort() != 0;
    boolean command = r.getCommandCount() > 0;
    if (port == command) {
      return Violation.of("spec.readiness", "needs exactly one of tcp_port and command");
    }
    if (port && (r.getTcpPort() < 1 || r.getTcpPort() > 65_535)) {
      return outOfRange("spec.readiness.tcp_port", r.getTcpPort(), 1, 65_535);
    }
    if (command && (r.getCommand(0).isEmpty() || r.getCommandCount() > MAX_ARGS
        || r.getCommandList().stream().anyMatch(a -> a.length() > MAX_COMMAND_CHARS || a.indexOf('\0') >= 0))) {
      return Violation.of("spec.readiness.command", "a program then at most " + (MAX_ARGS - 1)
          + " arguments, each at most " + MAX_COMMAND_CHARS + " chars without NUL");
    }
    if (r.getPeriodMs() < 0 || r.getPeriodMs() > MAX_READINESS_MS) {
      return outOfRange("spec.readiness.period_ms", r.getPeriodMs(), 0, MAX_READINESS_MS);
    }
    if (r.getTimeoutMs() < 0 || r.getTimeoutMs() > MAX_READINESS_MS) {
      return outOfRange("spec.readiness.timeout_ms", r.getTimeoutMs(), 0, MAX_READINESS_MS);
    }
    return Optional.empty();
  }

  static final int MAX_CONSTRAINTS = 32;
  /** {@code key=value} or {@code key!=value}: a label key, then a value without spaces. */
  private static final java.util.regex.Pattern CONSTRAINT =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}!?=[^\\s]{0,128}");

  private static Optional<Violation> checkConstraints(TaskSpecRecord spec) {
    if (spec.getConstraintsCount() > MAX_CONSTRAINTS) {
      return Violation.of("spec.constraints", spec.getConstraintsCount() + " constraints, at most "
          + MAX_CONSTRAINTS);
    }
    for (int i = 0; i < spec.getConstraintsCount(); i++) {
      String c = spec.getConstraints(i);
      if (!CONSTRAINT.matcher(c).matches()) {
        return Violation.of("spec.constraints[" + i + "]", "'" + abbreviate(c)
            + "' is not KEY=VALUE or KEY!=VALUE (a label key, a value without spaces)");
      }
    }
    return Optional.empty();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Limits are each 0 (none) or positive; a CPU limit needs its duration and a duration its limit. */
  private static Optional<Violation> checkThresholds(ThresholdRecord t) {
    if (t.getMaxMemoryMib() < 0 || t.getMaxMemoryMib() > MAX_MEMORY_MIB) {
      return outOfRange("spec.thresholds.max_memory_mib", t.getMaxMemoryMib(), 0, MAX_MEMORY_MIB);
    }
    if (t.getMaxCpuPercent() < 0 || t.getMaxCpuPercent() > MAX_CPU_PERCENT) {
      return outOfRange("spec.thresholds.max_cpu_percent", t.getMaxCpuPercent(), 0, MAX_CPU_PERCENT);
    }
    if (t.getCpuForMs() < 0) {
      return Violation.of("spec.thresholds.cpu_for_ms", t.getCpuForMs() + " is negative");
    }
    if (t.getMaxRuntimeMs() < 0) {
      return Violation.of("spec.thresholds.max_runtime_ms", t.getMaxRuntimeMs() + " is negative");
    }
    if (t.getMaxCpuPercent() > 0 && t.getCpuForMs() == 0) {
      return Violation.of("spec.thresholds.cpu_for_ms", "required with max_cpu_percent");
    }
    if (t.getCpuForMs() > 0 && t.getMaxCpuPercent() == 0) {
      return Violation.of("spec.thresholds.max_cpu_percent", "required with cpu_for_ms");
    }
    if (t.getAction() == ThresholdAction.UNRECOGNIZED) {
      return Violation.of("spec.thresholds.kill", "unknown threshold action " + t.getActionValue());
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkCommand(TaskSpecRecord spec) {
    String command = spec.getCommand();
    if (command.isEmpty()) {
      return Violation.of("spec.command", "required");
    }
    if (command.length() > MAX_COMMAND_CHARS) {
      return Violation.of("spec.command", command.length() + " chars, at most " + MAX_COMMAND_CHARS);
    }
    if (command.indexOf('\0') >= 0) {
      return Violation.of("spec.command", "contains a NUL character");
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkArgs(TaskSpecRecord spec) {
    if (spec.getArgsCount() > MAX_ARGS) {
      return Violation.of("spec.args", spec.getArgsCount() + " entries, at most " + MAX_ARGS);
    }
    for (int i = 0; i < spec.getArgsCount(); i++) {
      if (spec.getArgs(i).indexOf('\0') >= 0) {
        return Violation.of("spec.args[" + i + "]", "contains a NUL character");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkName(String name) {
    if (name.length() > MAX_NAME_CHARS) {
      return Violation.of("spec.name", name.length() + " chars, at most " + MAX_NAME_CHARS);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return Violation.of("spec.name", "may contain only A-Z a-z 0-9 . _ - but has '" + c + "'");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkNumbers(TaskSpecRecord spec) {
    if (spec.getCpuMillis() < 0 || spec.getCpuMillis() > MAX_CPU_MILLIS) {
      return outOfRange("spec.resources.cpu_millis", spec.getCpuMillis(), 0, MAX_CPU_MILLIS);
    }
    if (spec.getMemoryMib() < 0 || spec.getMemoryMib() > MAX_MEMORY_MIB) {
      return outOfRange("spec.resources.memory_mib", spec.getMemoryMib(), 0, MAX_MEMORY_MIB);
    }
    if (spec.getGpus() < 0 || spec.getGpus() > MAX_GPUS) {
      return outOfRange("spec.resources.gpus", spec.getGpus(), 0, MAX_GPUS);
    }
    if (spec.getPriority() < -MAX_PRIORITY || spec.getPriority() > MAX_PRIORITY) {
      return outOfRange("spec.priority", spec.getPriority(), -MAX_PRIORITY, MAX_PRIORITY);
    }
    return Optional.empty();
  }

  private static Optional<Violation> outOfRange(String field, long value, long min, long max) {
    return Violation.of(field, value + " is outside " + min + ".." + max);
  }

  private static Optional<Violation> checkMap(String field, Map<String, String> map, boolean env) {
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      String key = e.getKey();
      if (key.isEmpty()) {
        return Violation.of(field, "empty key");
      }
      if (key.length() > MAX_KEY_CHARS) {
        return Violation.of(field, "key of " + key.length() + " chars, at most " + MAX_KEY_CHARS);
      }
      if (env && key.indexOf('=') >= 0) {
        return Violation.of(field, "key '" + key + "' contains '='");
      }
      if (env && (key.indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0)) {
        return Violation.of(field, "entry '" + key.replace('\0', '?') + "' contains a NUL character");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkWorkingDir(String dir) {
    if (dir.length() > MAX_WORKING_DIR_CHARS) {
      return Violation.of("spec.working_dir", dir.length() + " chars, at most " + MAX_WORKING_DIR_CHARS);
    }
    if (dir.indexOf('\0') >= 0) {
      return Violation.of("spec.working_dir", "contains a NUL character");
    }
    return Optional.empty();
  }
}
