package org.openautoglm.oag.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.openautoglm.oag.agent.ready.ReadinessCheck;
import org.openautoglm.oag.agent.supervisor.Allocation;
import org.openautoglm.oag.agent.supervisor.RestartPolicy;
import org.openautoglm.oag.agent.supervisor.Thresholds;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;

/**
 * Reads a {@link DesiredAllocation} from a coordinator: checks it, and maps it onto the
 * supervisor's types. Pure; the one place that decides what input from a coordinator the
 * agent refuses.
 */
final class DesiredAllocations {
  private DesiredAllocations() {}

  /** Why the agent refuses {@code d}, or empty when it is well-formed. */
  static Optional<String> problem(DesiredAllocation d) {
    String id = d.getAllocationId();
    if (id.isEmpty()) {
      return Optional.of("empty allocation id");
    }
    if (!singleSegment(id)) {
      return Optional.of("allocation id is not a single path segment");
    }
    if (d.getTaskId().isBlank()) {
      return Optional.of("empty task id");
    }
    if (d.getGeneration() < 1) {
      return Optional.of("generation must be >= 1, was " + d.getGeneration());
    }
    if (d.getCommandCount() == 0 || d.getCommand(0).isEmpty()) {
      return Optional.of("empty command");
    }
    if (d.getDesired() != DesiredState.RUN && d.getDesired() != DesiredState.PAUSE
        && d.getDesired() != DesiredState.STOP) {
      return Optional.of("no known desired state: " + d.getDesired());
    }
    if (d.getRestartValue() < 0 || d.getRestartValue() > 3) {
      return Optional.of("unknown restart mode " + d.getRestartValue());
    }
    if (d.getStopGraceMs() < 0) {
      return Optional.of("negative stop grace " + d.getStopGraceMs());
    }
    try {
      allocation(d);
      thresholds(d);
      readiness(d);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /** Whether {@code id} can name a folder under {@code allocations/} and nothing else. */
  static boolean singleSegment(String id) {
    return !id.isEmpty() && !id.contains("/") && !id.equals(".") && !id.equals("..")
        && id.indexOf('\0') < 0;
  }

  /** The allocation to persist; call only on a well-formed {@code d}. */
  static Allocation allocation(DesiredAllocation d) {
    return new Allocation(d.getAllocationId(), d.getTaskId(), d.getGeneration(),
        new ArrayList<>(d.getCommandList()), d.getEnvMap(), d.getWorkingDir());
  }

  /** The restart policy: the mode asked for, the supervisor's default backoff and budget. */
  static RestartPolicy restartPolicy(DesiredAllocation d) {
    return RestartPolicy.defaults(switch (d.getRestart()) {
      case ON_FAILURE -> RestartPolicy.Mode.ON_FAILURE;
      case ALWAYS -> RestartPolicy.Mode.ALWAYS;
      // Unspecified means never, as in the task API.
      default -> RestartPolicy.Mode.NEVER;
    });
  }

  /** The stop grace it asks for, or {@code defaultGrace} when it names none (0). */
  static Duration grace(DesiredAllocation d, Duration defaultGrace) {
    return d.getStopGraceMs() > 0 ? Duration.ofMillis(d.getStopGraceMs()) : defaultGrace;
  }

  /** The limits it asks for; 0 fields are no limit. */
  static Thresholds thresholds(DesiredAllocation d) {
    org.openautoglm.oag.agent.v1.Thresholds t = d.getThresholds();
    return new Thresholds(t.getMaxMemoryMib(), t.getMaxCpuPercent(), Duration.ofMillis(t.getCpuForMs()),
        Duration.ofMillis(t.getMaxRuntimeMs()),
        t.getKill() ? Thresholds.Action.KILL : Thresholds.Action.RESTART);
  }

  /**
   * Its readiness check, or empty when it names none (ready as soon as it runs); a period or
   * timeout of 0 is the default.
   *
   * @throws IllegalArgumentException when the check is malformed (see {@link #problem})
   */
  static Optional<ReadinessCheck> readiness(DesiredAllocation d) {
    if (!d.hasReadiness()) {
      return Optional.empty();
    }
    org.openautoglm.oag.agent.v1.Readiness r = d.getReadiness();
    return Optional.of(new ReadinessCheck(r.getTcpPort(), r.getCommandList(),
        orDefault(r.getPeriodMs(), "period", ReadinessCheck.DEFAULT_PERIOD),
        orDefault(r.getTimeoutMs(), "timeout", ReadinessCheck.DEFAULT_TIMEOUT)));
  }

  private static Duration orDefault(long ms, String what, Duration dflt) {
    if (ms < 0) {
      throw new IllegalArgumentException("negative readiness " + what + " " + ms);
    }
    return ms == 0 ? dflt : Duration.ofMillis(ms);
  }
}
