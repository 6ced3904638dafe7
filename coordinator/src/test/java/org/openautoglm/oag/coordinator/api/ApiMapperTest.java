package org.openautoglm.oag.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;
import org.openautoglm.oag.api.v1.AllocationState;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Readiness;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.Thresholds;
import org.openautoglm.oag.coordinator.fleet.FleetView;
import org.openautoglm.oag.coordinator.state.NodeUsage;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.DrainRecord;
import org.openautoglm.oag.state.v1.DrainReport;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.RebalanceSettingsRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;

class ApiMapperTest {

  /** A leader that has heard from n1 and sampled allocation t1.2. */
  private static final FleetView HEARD = new FleetView() {
    @Override
    public long heartbeatAgeMs(String node) {
      return node.equals("n1") ? 250 : -1;
    }

    @Override
    public boolean connected(String node) {
      return node.equals("n1");
    }

    @Override
    public Optional<HostMetrics> host(String node) {
      return node.equals("n1")
          ? Optional.of(HostMetrics.newBuilder().setCpuPercent(37.5).setMemoryUsedMib(3_000).build())
          : Optional.empty();
    }

    @Override
    public Optional<ProcessMetrics> process(String allocationId) {
      return allocationId.equals("t1.2")
          ? Optional.of(ProcessMetrics.newBuilder().setCpuPercent(90).setRssMib(700).setUptimeMs(5_000)
              .setGpuPercent(12).setGpuMemoryMib(2_048).build())
          : Optional.empty();
    }

    @Override
    public java.util.List<String> silentFor(long minMs) {
      return minMs <= 250 ? java.util.List.of("n1") : java.util.List.of();
    }
  };

  private static TaskSpec apiSpec() {
    return TaskSpec.newBuilder().setName("serve").setCommand("python3")
        .setFencing(FencingMode.FENCING_AVAILABLE)
        .setStopGraceMs(30_000)
        .setThresholds(Thresholds.newBuilder().setMaxMemoryMib(1_024).setMaxCpuPercent(200).setCpuForMs(60_000)
            .setMaxRuntimeMs(3_600_000).setKill(true))
        .build();
  }

  @Test
  void theNewSpecFieldsGoBothWays() {
    TaskSpecRecord record = ApiMapper.toRecord(apiSpec());
    assertThat(record.getFencing()).isEqualTo(Fencing.AVAILABLE);
    assertThat(record.getStopGraceMs()).isEqualTo(30_000);
    assertThat(record.getThresholds().getAction()).isEqualTo(ThresholdAction.KILL_PROCESS);
    assertThat(record.getThresholds().getCpuForMs()).isEqualTo(60_000);

    Task task = ApiMapper.toApi(TaskRecord.newBuilder().setId("t1").setSpec(record).build(), FleetView.NONE);
    assertThat(task.getSpec()).isEqualTo(apiSpec().toBuilder()
        .setResources(task.getSpec().getResources()).setRestart(task.getSpec().getRestart()).build());

    assertThat(ApiMapper.toRecord(apiSpec().toBuilder().clearThresholds().build()).hasThresholds()).isFalse();
    assertThat(ApiMapper.toRecord(apiSpec().toBuilder().setFencingValue(7).build()).getFencingValue())
        .as("an unknown mode reaches the rules, which name it").isEqualTo(7);
  }

  @Test
  void anAllocationCarriesTheLeadersMetricsWhenItHasThem() {
    AllocationRecord allocation = AllocationRecord.newBuilder().setId("t1.2").setGeneration(2).setNode("n1")
        .setStatus(AllocationStatus.ALLOC_RUNNING).setPid(4242).setRestarts(1).setPlacedAtMs(10)
        .setStartedAtMs(20).build();
    TaskRecord record = TaskRecord.newBuilder().setId("t1").setAllocation(allocation).build();

    Task heard = ApiMapper.toApi(record, HEARD);
    assertThat(heard.getAllocation().getState()).isEqualTo(AllocationState.ALLOCATION_RUNNING);
    assertThat(heard.getAllocation().getGeneration()).isEqualTo(2);
    assertThat(heard.getAllocation().getPid()).isEqualTo(4242);
    assertThat(heard.getAllocation().getStartedAtMs()).isEqualTo(20);
    assertThat(heard.getAllocation().getMetrics().getRssMib()).isEqualTo(700);
    assertThat(heard.getAllocation().getMetrics().getGpuMemoryMib()).isEqualTo(2_048);

    assertThat(ApiMapper.toApi(record, FleetView.NONE).getAllocation().hasMetrics()).isFalse();
    assertThat(ApiMapper.toApi(TaskRecord.newBuilder().setId("t2").build(), HEARD).hasAllocation()).isFalse();
  }

  @Test
  void everyAllocationStatusHasAnApiState() {
    for (AllocationStatus s : AllocationStatus.values()) {
      if (s != AllocationStatus.UNRECOGNIZED && s != AllocationStatus.ALLOCATION_STATUS_UNSPECIFIED) {
        assertThat(ApiMapper.toApi(s)).isNotEqualTo(AllocationState.ALLOCATION_STATE_UNSPECIFIED);
        assertThat(ApiMapper.toApi(s).getNumber()).isEqualTo(s.getNumber());
      }
    }
  }

  @Test
  void aNodeShowsCapacityUseAndLiveness() {
    NodeRecord record = NodeRecord.newBuilder().setId("n1").setStatus(NodeStatus.UP).setAddress("h1")
        .putLabels("zone", "a")
        .setCapacity(CapacityRecord.newBuilder().setCpuMillis(8_000).setMemoryMib(32_768)
            .addGpus(GpuRecord.newBuilder().setIndex(0).setModel("H100").setMemoryMib(81_559))
            .addGpus(GpuRecord.newBuilder().setIndex(1).setModel("H100").setMemoryMib(81_559)))
        .build();

    Node node = ApiMapper.toApi(record, new NodeUsage(1_500, 4_096, 1, 3), HEARD);
    assertThat(node.getState()).isEqualTo(NodeState.NODE_UP);
    assertThat(node.getCapacity().getGpus()).isEqualTo(2);
    assertThat(node.getGpusList()).hasSize(2);
    assertThat(node.getUsed().getCpuMillis()).isEqualTo(1_500);
    assertThat(node.getUsed().getGpus()).isEqualTo(1);
    assertThat(node.getTasks()).isEqualTo(3);
    assertThat(node.getLastHeartbeatAgeMs()).isEqualTo(250);
    assertThat(node.getConnected()).isTrue();
    assertThat(node.getCpuPercent()).isEqualTo(37.5);
    assertThat(node.getMemoryUsedMib()).isEqualTo(3_000);

    Node unheard = ApiMapper.toApi(record.toBuilder().setId("n2").setStatus(NodeStatus.DOWN).build(),
        NodeUsage.NONE, HEARD);
    assertThat(unheard.getState()).isEqualTo(NodeState.NODE_DOWN);
    assertThat(unheard.getLastHeartbeatAgeMs()).isEqualTo(-1);
    assertThat(unheard.getConnected()).isFalse();
    assertThat(unheard.getCpuPercent()).isZero();
  }

  @Test
  void readinessAndMovableGoBothWays() {
    TaskSpec spec = apiSpec().toBuilder().setMovable(true)
        .setReadiness(Readiness.newBuilder().addCommand("curl").addCommand("-f").addCommand("localhost:8080")
            .setPeriodMs(500).setTimeoutMs(2_000))
        .build();

    TaskSpecRecord record = ApiMapper.toRecord(spec);
    assertThat(record.getMovable()).isTrue();
    assertThat(record.getReadiness()).isEqualTo(ReadinessRecord.newBuilder().addCommand("curl").addCommand("-f")
        .addCommand("localhost:8080").setPeriodMs(500).setTimeoutMs(2_000).build());
    Task task = ApiMapper.toApi(TaskRecord.newBuilder().setId("t1").setSpec(record).build(), FleetView.NONE);
    assertThat(task.getSpec().getReadiness()).isEqualTo(spec.getReadiness());
    assertThat(task.getSpec().getMovable()).isTrue();

    assertThat(ApiMapper.toRecord(apiSpec()).hasReadiness()).isFalse();
    assertThat(ApiMapper.toRecord(apiSpec().toBuilder().setReadiness(Readiness.newBuilder().setTcpPort(70_000))
        .build()).getReadiness().getTcpPort()).as("a bad port reaches the rules, which name it").isEqualTo(70_000);
  }

  @Test
  void aMigrationShowsItsOldInstanceLikeAnyAllocation() {
    AllocationRecord old = AllocationRecord.newBuilder().setId("t1.2").setGeneration(2).setNode("n1")
        .setStatus(AllocationStatus.ALLOC_RUNNING).setReady(true).build();
    AllocationRecord next = AllocationRecord.newBuilder().setId("t1.3").setGeneration(3).setNode("n2")
        .setStatus(AllocationStatus.ASSIGNED).build();
    TaskRecord record = TaskRecord.newBuilder().setId("t1").setAllocation(next)
        .setMigration(MigrationRecord.newBuilder().setFromNode("n1").setReason("drain").setStartedAtMs(100)
            .setMakeBeforeBreak(true).setToNode("n2").setOld(old).setHandedOverAtMs(200).setForced(true)
            .setBlocked("insufficient memory"))
        .build();

    Task task = ApiMapper.toApi(record, HEARD);
    var m = task.getMigration();
    assertThat(m.getFromNode()).isEqualTo("n1");
    assertThat(m.getReason()).isEqualTo("drain");
    assertThat(m.getStartedAtMs()).isEqualTo(100);
    assertThat(m.getMakeBeforeBreak()).isTrue();
    assertThat(m.getToNode()).isEqualTo("n2");
    assertThat(m.getHandedOverAtMs()).isEqualTo(200);
    assertThat(m.getForced()).isTrue();
    assertThat(m.getBlocked()).isEqualTo("insufficient memory");
    assertThat(m.getOld().getId()).isEqualTo("t1.2");
    assertThat(m.getOld().getState()).isEqualTo(AllocationState.ALLOCATION_RUNNING);
    assertThat(m.getOld().getReady()).isTrue();
    assertThat(m.getOld().getMetrics().getRssMib()).as("from the leader's memory").isEqualTo(700);
    assertThat(task.getAllocation().getReady()).isFalse();

    assertThat(ApiMapper.toApi(record.toBuilder().clearMigration().build(), HEARD).hasMigration()).isFalse();
    assertThat(ApiMapper.toApi(record.toBuilder().setMigration(record.getMigration().toBuilder().clearOld())
        .build(), HEARD).getMigration().hasOld()).isFalse();
  }

  @Test
  void aNodeShowsItsDrainAndHowTheLastOneEnded() {
    NodeRecord record = NodeRecord.newBuilder().setId("n1").setStatus(NodeStatus.UP)
        .setDrain(DrainRecord.newBuilder().setStartedAtMs(1_000).setDeadlineMs(61_000).setMigrated(2))
        .setLastDrain(DrainReport.newBuilder().setStartedAtMs(10).setEndedAtMs(20).setDeadlineMs(15)
            .setOutcome("deadline").setMigrated(3).addStoppedAtDeadline("t4"))
        .build();

    Node node = ApiMapper.toApi(record, NodeUsage.NONE, FleetView.NONE);
    assertThat(node.getDraining()).isTrue();
    assertThat(node.getDrainDeadlineMs()).isEqualTo(61_000);
    assertThat(node.getLastDrain()).isEqualTo(org.openautoglm.oag.api.v1.DrainReport.newBuilder()
        .setStartedAtMs(10).setEndedAtMs(20).setDeadlineMs(15).setOutcome("deadline").setMigrated(3)
        .addStoppedAtDeadline("t4").build());

    Node idle = ApiMapper.toApi(record.toBuilder().clearDrain().clearLastDrain().build(), NodeUsage.NONE,
        FleetView.NONE);
    assertThat(idle.getDraining()).isFalse();
    assertThat(idle.getDrainDeadlineMs()).isZero();
    assertThat(idle.hasLastDrain()).isFalse();
  }

  @Test
  void rebalanceSettingsShowTheDefaultsInForceAndGoToTheRecordAsGiven() {
    RebalanceSettings shown = ApiMapper.toApi(RebalanceSettingsRecord.newBuilder().setMaxMoves(7).build());
    RebalanceSettings given = RebalanceSettings.newBuilder().setThresholdPercent(101).setCooldownMs(1)
        .setDisabled(true).build();

    assertThat(shown).isEqualTo(RebalanceSettings.newBuilder().setThresholdPercent(20).setMaxMoves(7)
        .setIntervalMs(5_000).setCooldownMs(120_000).build());
    assertThat(ApiMapper.toRecord(given)).as("left for the applier to check").isEqualTo(RebalanceSettingsRecord
        .newBuilder().setThresholdPercent(101).setCooldownMs(1).setDisabled(true).build());
  }
}
