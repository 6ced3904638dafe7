package org.openautoglm.oag.coordinator.fleet;

import java.util.List;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Restart;
import org.openautoglm.oag.agent.v1.Thresholds;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

/**
 * Builds a node's complete desired set from replicated state: one entry per task whose
 * current allocation is on the node and not finished. Pure; any thread.
 */
final class DesiredSets {

  private DesiredSets() {}

  /** The desired set of the node whose live tasks are {@code tasks}, stamped with {@code version}. */
  static DesiredSet of(long version, List<TaskRecord> tasks) {
    DesiredSet.Builder set = DesiredSet.newBuilder().setVersion(version);
    for (TaskRecord task : tasks) {
      set.addAllocations(allocation(task));
    }
    return set.build();
  }

  static DesiredAllocation allocation(TaskRecord task) {
    TaskSpecRecord spec = task.getSpec();
    return DesiredAllocation.newBuilder()
        .setAllocationId(task.getAllocation().getId())
        .setTaskId(task.getId())
        .setGeneration(task.getAllocation().getGeneration())
        .setDesired(desired(task))
        .addCommand(spec.getCommand())
        .addAllCommand(spec.getArgsList())
        .putAllEnv(spec.getEnvMap())
        .setWorkingDir(spec.getWorkingDir())
        .setRestart(restart(spec))
        .setExclusive(spec.getFencing() != Fencing.AVAILABLE)
        .setThresholds(thresholds(spec.getThresholds()))
        .setStopGraceMs(spec.getStopGraceMs())
        .build();
  }

  private static DesiredState desired(TaskRecord task) {
    return switch (task.getDesired()) {
      case PAUSE -> DesiredState.PAUSE;
      case STOP -> DesiredState.STOP;
      default -> DesiredState.RUN;
    };
  }

  private static Restart restart(TaskSpecRecord spec) {
    return switch (spec.getRestart()) {
      case ON_FAILURE -> Restart.ON_FAILURE;
      case ALWAYS -> Restart.ALWAYS;
      default -> Restart.NEVER;
    };
  }

  private static Thresholds thresholds(ThresholdRecord t) {
    return Thresholds.newBuilder()
        .setMaxMemoryMib(t.getMaxMemoryMib())
        .setMaxCpuPercent(t.getMaxCpuPercent())
        .setCpuForMs(t.getCpuForMs())
        .setMaxRuntimeMs(t.getMaxRuntimeMs())
        .setKill(t.getAction() == ThresholdAction.KILL_PROCESS)
        .build();
  }
}
