package org.openautoglm.oag.coordinator.api;

import org.openautoglm.oag.api.v1.Allocation;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.DrainReport;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Gpu;
import org.openautoglm.oag.api.v1.Migration;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeEligibility;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.ProcessMetrics;
import org.openautoglm.oag.api.v1.Readiness;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.api.v1.Thresholds;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.state.NodeStates;
import org.openautoglm.oag.coordinator.state.NodeUsage;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.ClusterRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.FailoverSettingsRecord;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.RebalanceSettingsRecord;
import org.openautoglm.oag.state.v1.Restart;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

/**
 * Converts between the public API messages and the stored records. The two
 * schemas are kept apart on purpose (the log format must not change when the
 * API grows); this class is the only place they meet. Live metrics, which are
 * never stored, come from a {@link FleetView}. Stateless and thread-safe.
 */
final class ApiMapper {
  private ApiMapper() {}

  static TaskSpecRecord toRecord(TaskSpec spec) {
    Resources r = spec.getResources();
    TaskSpecRecord.Builder record = TaskSpecRecord.newBuilder()
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
        // The numbers agree, and an unknown mode passes through for the rules to name.
        .setFencingValue(spec.getFencingValue())
        .setStopGraceMs(spec.getStopGraceMs())
        .addAllConstraints(spec.getConstraintsList())
        // As with fencing, an unknown strategy passes through for the rules to name.
        .setPlacementValue(spec.getPlacementValue())
        .setMovable(spec.getMovable());
    if (spec.hasReadiness()) {
      // Copied as given: TaskSpecRules checks the port, the command and the periods.
      Readiness ready = spec.getReadiness();
      record.setReadiness(ReadinessRecord.newBuilder()
          .setTcpPort(ready.getTcpPort())
          .addAllCommand(ready.getCommandList())
          .setPeriodMs(ready.getPeriodMs())
          .setTimeoutMs(ready.getTimeoutMs()));
    }
    if (spec.hasThresholds()) {
      Thresholds t = spec.getThresholds();
      record.setThresholds(ThresholdRecord.newBuilder()
          .setMaxMemoryMib(t.getMaxMemoryMib())
          .setMaxCpuPercent(t.getMaxCpuPercent())
          .setCpuForMs(t.getCpuForMs())
          .setMaxRuntimeMs(t.getMaxRuntimeMs())
          .setAction(t.getKill() ? ThresholdAction.KILL_PROCESS : ThresholdAction.RESTART_PROCESS));
    }
    return record.build();
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

  /** A task as users see it; its allocation's live metrics from {@code fleet} when it has them. */
  static Task toApi(TaskRecord t, FleetView fleet) {
    Task.Builder task = Task.newBuilder()
        .setId(t.getId())
        .setSpec(toApi(t.getSpec()))
        .setState(TaskState.forNumber(t.getStatus().getNumber()))
        .setDesired(toApi(t.getDesired()))
        .setNode(t.getNode())
        .setCreatedAtMs(t.getCreatedAtMs())
        .setUpdatedAtMs(t.getUpdatedAtMs())
        .setFinishedAtMs(t.getFinishedAtMs())
        .setVersion(t.getVersion())
        .setMessage(t.getMessage());
    if (t.hasAllocation()) {
      task.setAllocation(toApi(t.getAllocation(), fleet));
    }
    for (AllocationRecord a : t.getPreviousAllocationsList()) {
      task.addPreviousAllocations(toApi(a, fleet));
    }
    if (t.hasMigration()) {
      task.setMigration(toApi(t.getMigration(), fleet));
    }
    return task.setPreviousAllocationsDropped(t.getPreviousAllocationsDropped()).build();
  }

  private static TaskSpec toApi(TaskSpecRecord s) {
    TaskSpec.Builder spec = TaskSpec.newBuilder()
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
        .setFencing(switch (s.getFencing()) {
          case EXCLUSIVE -> FencingMode.FENCING_EXCLUSIVE;
          case AVAILABLE -> FencingMode.FENCING_AVAILABLE;
          default -> FencingMode.FENCING_MODE_UNSPECIFIED;
        })
        .setStopGraceMs(s.getStopGraceMs())
        .addAllConstraints(s.getConstraintsList())
        .setPlacementValue(s.getPlacementValue())
        .setMovable(s.getMovable());
    if (s.hasReadiness()) {
      ReadinessRecord r = s.getReadiness();
      spec.setReadiness(Readiness.newBuilder()
          .setTcpPort(r.getTcpPort())
          .addAllCommand(r.getCommandList())
          .setPeriodMs(r.getPeriodMs())
          .setTimeoutMs(r.getTimeoutMs()));
    }
    if (s.hasThresholds()) {
      ThresholdRecord t = s.getThresholds();
      spec.setThresholds(Thresholds.newBuilder()
          .setMaxMemoryMib(t.getMaxMemoryMib())
          .setMaxCpuPercent(t.getMaxCpuPercent())
          .setCpuForMs(t.getCpuForMs())
          .setMaxRuntimeMs(t.getMaxRuntimeMs())
          .setKill(t.getAction() == ThresholdAction.KILL_PROCESS));
    }
    return spec.build();
  }

  /** A migration; its old instance (make-before-break) is mapped like any allocation. */
  private static Migration toApi(MigrationRecord m, FleetView fleet) {
    Migration.Builder migration = Migration.newBuilder()
        .setFromNode(m.getFromNode())
        .setReason(m.getReason())
        .setStartedAtMs(m.getStartedAtMs())
        .setMakeBeforeBreak(m.getMakeBeforeBreak())
        .setToNode(m.getToNode())
        .setHandedOverAtMs(m.getHandedOverAtMs())
        .setForced(m.getForced())
        .setBlocked(m.getBlocked());
    if (m.hasOld()) {
      migration.setOld(toApi(m.getOld(), fleet));
    }
    return migration.build();
  }

  static Allocation toApi(AllocationRecord a, FleetView fleet) {
    Allocation.Builder allocation = Allocation.newBuilder()
        .setId(a.getId())
        .setGeneration(a.getGeneration())
        .setNode(a.getNode())
        .setState(toApi(a.getStatus()))
        .setPid(a.getPid())
        .setExited(a.getExited())
        .setExitCode(a.getExitCode())
        .setRestarts(a.getRestarts())
        .setPlacedAtMs(a.getPlacedAtMs())
        .setStartedAtMs(a.getStartedAtMs())
        .setEndedAtMs(a.getEndedAtMs())
        .setReason(a.getReason())
        .setReady(a.getReady());
    fleet.process(a.getId()).ifPresent(m -> allocation.setMetrics(ProcessMetrics.newBuilder()
        .setCpuPercent(m.getCpuPercent())
        .setRssMib(m.getRssMib())
        .setUptimeMs(m.getUptimeMs())
        .setGpuPercent(m.getGpuPercent())
        .setGpuMemoryMib(m.getGpuMemoryMib())));
    return allocation.build();
  }

  static AllocationState toApi(AllocationStatus s) {
    return switch (s) {
      case ASSIGNED -> AllocationState.ALLOCATION_ASSIGNED;
      case ALLOC_RUNNING -> AllocationState.ALLOCATION_RUNNING;
      case BACKOFF -> AllocationState.ALLOCATION_BACKOFF;
      case ALLOC_PAUSED -> AllocationState.ALLOCATION_PAUSED;
      case EXITED -> AllocationState.ALLOCATION_EXITED;
      case KILLED -> AllocationState.ALLOCATION_KILLED;
      case ALLOC_FAILED -> AllocationState.ALLOCATION_FAILED;
      case ALLOC_LOST -> AllocationState.ALLOCATION_LOST;
      case ALLOCATION_STATUS_UNSPECIFIED, UNRECOGNIZED -> AllocationState.ALLOCATION_STATE_UNSPECIFIED;
    };
  }

  /** A node with its replicated use and, from {@code fleet}, what the leader hears of it. */
  static Node toApi(NodeRecord n, NodeUsage used, FleetView fleet) {
    Node.Builder node = Node.newBuilder()
        .setId(n.getId())
        .setState(switch (n.getStatus()) {
          case UP -> NodeState.NODE_UP;
          case DOWN -> NodeState.NODE_DOWN;
          default -> NodeState.NODE_STATE_UNSPECIFIED;
        })
        .setCapacity(Resources.newBuilder().setCpuMillis(n.getCapacity().getCpuMillis())
            .setMemoryMib(n.getCapacity().getMemoryMib()).setGpus(n.getCapacity().getGpusCount()))
        .setUsed(Resources.newBuilder().setCpuMillis(used.cpuMillis()).setMemoryMib(used.memoryMib())
            .setGpus(used.gpus()))
        .setTasks(used.tasks())
        .putAllLabels(n.getLabelsMap())
        .setAddress(n.getAddress())
        .setLastHeartbeatAgeMs(fleet.heartbeatAgeMs(n.getId()))
        .setConnected(fleet.connected(n.getId()))
        .setEligibility(NodeStates.isEligible(n) ? NodeEligibility.NODE_ELIGIBLE : NodeEligibility.NODE_CORDONED)
        .setDraining(n.hasDrain())
        .setDrainDeadlineMs(n.getDrain().getDeadlineMs());
    if (n.hasLastDrain()) {
      node.setLastDrain(toApi(n.getLastDrain()));
    }
    for (GpuRecord g : n.getCapacity().getGpusList()) {
      node.addGpus(Gpu.newBuilder().setIndex(g.getIndex()).setModel(g.getModel()).setMemoryMib(g.getMemoryMib()));
    }
    fleet.host(n.getId()).ifPresent(h -> node.setCpuPercent(h.getCpuPercent())
        .setMemoryUsedMib(h.getMemoryUsedMib()));
    return node.build();
  }

  static DrainReport toApi(org.openautoglm.oag.state.v1.DrainReport r) {
    return DrainReport.newBuilder()
        .setStartedAtMs(r.getStartedAtMs())
        .setEndedAtMs(r.getEndedAtMs())
        .setDeadlineMs(r.getDeadlineMs())
        .setOutcome(r.getOutcome())
        .setMigrated(r.getMigrated())
        .addAllStoppedAtDeadline(r.getStoppedAtDeadlineList())
        .build();
  }

  /** The failover settings in force (defaults filled in) and the storm guard's state. */
  static FailoverSettings toApi(ClusterRecord c) {
    org.openautoglm.oag.coordinator.state.FailoverSettings s =
        org.openautoglm.oag.coordinator.state.FailoverSettings.of(c.getFailover());
    return FailoverSettings.newBuilder()
        .setLeaseMs(s.leaseMs())
        .setTtlMs(s.ttlMs())
        .setAvailableTtlMs(s.availableTtlMs())
        .setClockRatePpm(s.clockRatePpm())
        .setKeeperPeriodMs(s.keeperPeriodMs())
        .setStormPercent(s.stormPercent())
        .setMaxReschedules(s.maxReschedules())
        .setStormGuardOn(c.getStormGuard().getOn())
        .setStormGuardReason(c.getStormGuard().getReason())
        .build();
  }

  /** The settings part of {@code s}; the storm guard fields are output only. */
  static FailoverSettingsRecord toRecord(FailoverSettings s) {
    return FailoverSettingsRecord.newBuilder()
        .setLeaseMs(s.getLeaseMs())
        .setTtlMs(s.getTtlMs())
        .setAvailableTtlMs(s.getAvailableTtlMs())
        .setClockRatePpm(s.getClockRatePpm())
        .setKeeperPeriodMs(s.getKeeperPeriodMs())
        .setStormPercent(s.getStormPercent())
        .setMaxReschedules(s.getMaxReschedules())
        .build();
  }

  /** The rebalancer's settings in force: a field left 0 in {@code r} shows its default. */
  static RebalanceSettings toApi(RebalanceSettingsRecord r) {
    org.openautoglm.oag.coordinator.state.RebalanceSettings s =
        org.openautoglm.oag.coordinator.state.RebalanceSettings.of(r);
    return RebalanceSettings.newBuilder()
        .setThresholdPercent(s.thresholdPercent())
        .setMaxMoves(s.maxMoves())
        .setIntervalMs(s.intervalMs())
        .setCooldownMs(s.cooldownMs())
        .setDisabled(s.disabled())
        .build();
  }

  /** Copied as given: a field left 0 takes its default when applied, the rest are checked there. */
  static RebalanceSettingsRecord toRecord(RebalanceSettings s) {
    return RebalanceSettingsRecord.newBuilder()
        .setThresholdPercent(s.getThresholdPercent())
        .setMaxMoves(s.getMaxMoves())
        .setIntervalMs(s.getIntervalMs())
        .setCooldownMs(s.getCooldownMs())
        .setDisabled(s.getDisabled())
        .build();
  }

  static Event toApi(EventRecord e) {
    return Event.newBuilder()
        .setIndex(e.getIndex())
        .setPosition(e.getPosition())
        .setTimeMs(e.getTimeMs())
        .setType(e.getType())
        .setTaskId(e.getTaskId())
        .setAllocationId(e.getAllocationId())
        .setNode(e.getNode())
        .setMessage(e.getMessage())
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
