package org.openautoglm.oag.coordinator.api;

import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Restart;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Converts between the public API messages and the stored records. The two
 * schemas are kept apart on purpose (the log format must not change when the
 * API grows); this class is the only place they meet.
 */
final class ApiMapper {
  private ApiMapper() {}

  static TaskSpecRecord toRecord(TaskSpec spec) {
    Resources r = spec.getResources();
    return TaskSpecRecord.newBuilder()
        .setName(spec.getName())
        .setCommand(spec.getCommand())
        .addAllArgs(spec.getArgsList())
        .putAllEnv(spec.getEnvMap())
        .setCpuMillis(r.getCpuMillis())
        .setMemoryMib(r.getMemoryMib())
        .setGpus(r.getGpus())
        .setRestart(toRecord(spec.getRestart()))
        .putAllLabels(spec.getLabelsMap())
        .setPriority(spec.getPriority())
        .setWorkingDir(spec.getWorkingDir())
        .build();
  }

  private static Restart toRecord(RestartPolicy p) {
    return switch (p) {
      case RESTART_ON_FAILURE -> Restart.ON_FAILURE;
      case RESTART_ALWAYS -> Restart.ALWAYS;
      default -> Restart.NEVER;
    };
  }

  static TaskStatus toRecord(TaskState state) {
    return TaskStatus.forNumber(state.getNumber());
  }

  static Task toApi(TaskRecord t) {
    TaskSpecRecord s = t.getSpec();
    TaskSpec spec = TaskSpec.newBuilder()
        .setName(s.getName())
        .setCommand(s.getCommand())
        .addAllArgs(s.getArgsList())
        .putAllEnv(s.getEnvMap())
        .setResources(Resources.newBuilder()
            .setCpuMillis(s.getCpuMillis()).setMemoryMib(s.getMemoryMib()).setGpus(s.getGpus()))
        .setRestart(toApi(s.getRestart()))
        .putAllLabels(s.getLabelsMap())
        .setPriority(s.getPriority())
        .setWorkingDir(s.getWorkingDir())
        .build();
    return Task.newBuilder()
        .setId(t.getId())
        .setSpec(spec)
        .setState(TaskState.forNumber(t.getStatus().getNumber()))
        .setDesired(toApi(t.getDesired()))
        .setNode(t.getNode())
        .setCreatedAtMs(t.getCreatedAtMs())
        .setUpdatedAtMs(t.getUpdatedAtMs())
        .setFinishedAtMs(t.getFinishedAtMs())
        .setVersion(t.getVersion())
        .setMessage(t.getMessage())
        .build();
  }

  private static RestartPolicy toApi(Restart r) {
    return switch (r) {
      case ON_FAILURE -> RestartPolicy.RESTART_ON_FAILURE;
      case ALWAYS -> RestartPolicy.RESTART_ALWAYS;
      default -> RestartPolicy.RESTART_NEVER;
    };
  }

  private static DesiredState toApi(Desired d) {
    return switch (d) {
      case PAUSE -> DesiredState.DESIRED_PAUSED;
      case STOP -> DesiredState.DESIRED_STOPPED;
      default -> DesiredState.DESIRED_RUNNING;
    };
  }
}
