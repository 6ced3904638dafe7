package org.openautoglm.oag.coordinator.fleet;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Readiness;
import org.openautoglm.oag.agent.v1.Restart;
import org.openautoglm.oag.agent.v1.Thresholds;
import org.openautoglm.oag.coordinator.state.Migrations;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

/**
 * Builds a node's complete desired set from replicated state: one entry per live allocation
 * on the node (a task's current one, or a migration's old one), each with what it should be
 * doing ({@link Migrations#desired}). Pure; any thread.
 */
final class DesiredSets {

  private DesiredSets() {}

  /** A node's desired set of {@code entries} (its tasks' {@link #onNode}), stamped with {@code version}. */
  static DesiredSet of(long version, List<DesiredAllocation> entries) {
    return DesiredSet.newBuilder().setVersion(version).addAllAllocations(entries).build();
  }

  /** {@code task}'s entries in the desired set of {@code node}: one per live allocation there (often none). */
  static List<DesiredAllocation> onNode(String node, TaskRecord task) {
    List<DesiredAllocation> here = new ArrayList<>(1);
    for (AllocationRecord a : Migrations.liveAllocations(task)) {
      if (a.getNode().equals(node)) {
        here.add(allocation(task, a));
      }
    }
    return here;
  }

  static DesiredAllocation allocation(TaskRecord task, AllocationRecord allocation) {
    TaskSpecRecord spec = task.getSpec();
    DesiredAllocation.Builder d = DesiredAllocation.newBuilder()
        .setAllocationId(allocation.getId())
        .setTaskId(task.getId())
        .setGeneration(allocation.getGeneration())
        .setDesired(desired(Migrations.desired(task, allocation)))
        .addCommand(spec.getCommand())
        .addAllCommand(spec.getArgsList())
        .putAllEnv(spec.getEnvMap())
        .setWorkingDir(spec.getWorkingDir())
        .setRestart(restart(spec))
        .setExclusive(spec.getFencing() != Fencing.AVAILABLE)
        .setThresholds(thresholds(spec.getThresholds()))
        .setStopGraceMs(spec.getStopGraceMs());
    if (spec.hasReadiness()) {
      ReadinessRecord r = spec.getReadiness();
      d.setReadiness(Readiness.newBuilder().setTcpPort(r.getTcpPort()).addAllCommand(r.getCommandList())
          .setPeriodMs(r.getPeriodMs()).setTimeoutMs(r.getTimeoutMs()));
    }
    return d.build();
  }

  private static DesiredState desired(Desired desired) {
    return switch (desired) {
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
