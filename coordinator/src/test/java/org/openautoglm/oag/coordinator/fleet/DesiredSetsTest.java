package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Restart;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.MigrationRecord;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

class DesiredSetsTest {

  @Test
  void carriesWhatTheAgentNeedsToRunTheTaskAndItsDesiredState() {
    TaskRecord task = TaskRecord.newBuilder()
        .setId("T00000000000000000042")
        .setDesired(Desired.PAUSE)
        .setSpec(TaskSpecRecord.newBuilder()
            .setCommand("python3").addArgs("-c").addArgs("print(1)")
            .putEnv("A", "1").setWorkingDir("/tmp")
            .setRestart(org.openautoglm.oag.state.v1.Restart.ON_FAILURE)
            .setFencing(Fencing.AVAILABLE)
            .setStopGraceMs(2500)
            .setThresholds(ThresholdRecord.newBuilder().setMaxMemoryMib(100).setAction(ThresholdAction.KILL_PROCESS)))
        .setAllocation(AllocationRecord.newBuilder().setId("T00000000000000000042.3").setGeneration(3).setNode("a")
            .setStatus(AllocationStatus.ALLOC_RUNNING))
        .build();

    DesiredSet set = DesiredSets.of(99, DesiredSets.onNode("a", task));

    assertThat(set.getVersion()).isEqualTo(99);
    DesiredAllocation a = set.getAllocations(0);
    assertThat(a.getAllocationId()).isEqualTo("T00000000000000000042.3");
    assertThat(a.getGeneration()).isEqualTo(3);
    assertThat(a.getDesired()).isEqualTo(DesiredState.PAUSE);
    assertThat(a.getCommandList()).containsExactly("python3", "-c", "print(1)");
    assertThat(a.getEnvMap()).containsEntry("A", "1");
    assertThat(a.getRestart()).isEqualTo(Restart.ON_FAILURE);
    assertThat(a.getExclusive()).isFalse();
    assertThat(a.getStopGraceMs()).isEqualTo(2500);
    assertThat(a.getThresholds().getMaxMemoryMib()).isEqualTo(100);
    assertThat(a.getThresholds().getKill()).isTrue();
  }

  @Test
  void fencingDefaultsToExclusive() {
    TaskRecord task = TaskRecord.newBuilder().setId("T1").setDesired(Desired.RUN)
        .setSpec(TaskSpecRecord.newBuilder().setCommand("sleep"))
        .setAllocation(AllocationRecord.newBuilder().setId("T1.1").setGeneration(1))
        .build();

    assertThat(DesiredSets.allocation(task, task.getAllocation()).getExclusive()).isTrue();
    assertThat(DesiredSets.allocation(task, task.getAllocation()).getDesired()).isEqualTo(DesiredState.RUN);
  }

  @Test
  void aMakeBeforeBreakMigrationRunsBothInstancesUntilTheHandoverThenStopsTheOldOne() {
    AllocationRecord old = AllocationRecord.newBuilder().setId("T1.1").setGeneration(1).setNode("a")
        .setStatus(AllocationStatus.ALLOC_RUNNING).build();
    TaskRecord task = TaskRecord.newBuilder().setId("T1").setDesired(Desired.RUN)
        .setSpec(TaskSpecRecord.newBuilder().setCommand("serve").setFencing(Fencing.AVAILABLE)
            .setReadiness(ReadinessRecord.newBuilder().setTcpPort(8080)))
        .setAllocation(AllocationRecord.newBuilder().setId("T1.2").setGeneration(2).setNode("b")
            .setStatus(AllocationStatus.ASSIGNED))
        .setMigration(MigrationRecord.newBuilder().setFromNode("a").setMakeBeforeBreak(true).setOld(old))
        .build();

    assertThat(DesiredSets.of(1, DesiredSets.onNode("a", task)).getAllocationsList()).singleElement().satisfies(d -> {
      assertThat(d.getAllocationId()).isEqualTo("T1.1");
      assertThat(d.getDesired()).isEqualTo(DesiredState.RUN);
    });
    assertThat(DesiredSets.of(1, DesiredSets.onNode("b", task)).getAllocationsList()).singleElement().satisfies(d -> {
      assertThat(d.getAllocationId()).isEqualTo("T1.2");
      assertThat(d.getDesired()).isEqualTo(DesiredState.RUN);
      assertThat(d.getReadiness().getTcpPort()).isEqualTo(8080);
    });

    TaskRecord handedOver = task.toBuilder().setMigration(task.getMigration().toBuilder().setHandedOverAtMs(5)).build();
    assertThat(DesiredSets.of(1, DesiredSets.onNode("a", handedOver)).getAllocations(0).getDesired())
        .isEqualTo(DesiredState.STOP);
    assertThat(DesiredSets.of(1, DesiredSets.onNode("b", handedOver)).getAllocations(0).getDesired())
        .isEqualTo(DesiredState.RUN);
  }

  @Test
  void aBreakBeforeMakeMigrationStopsTheInstanceOnTheNodeItLeaves() {
    TaskRecord task = TaskRecord.newBuilder().setId("T1").setDesired(Desired.RUN)
        .setSpec(TaskSpecRecord.newBuilder().setCommand("train"))
        .setAllocation(AllocationRecord.newBuilder().setId("T1.1").setGeneration(1).setNode("a")
            .setStatus(AllocationStatus.ALLOC_RUNNING))
        .setMigration(MigrationRecord.newBuilder().setFromNode("a"))
        .build();

    assertThat(DesiredSets.of(1, DesiredSets.onNode("a", task)).getAllocations(0).getDesired())
        .isEqualTo(DesiredState.STOP);
  }
}
