package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.coordinator.state.TaskVersion;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

class DesiredCacheTest {
  private final Map<String, TaskRecord> stored = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final DesiredCache cache = new DesiredCache("a");

  private List<DesiredAllocation> refresh(String... ids) {
    return refresh(false, ids);
  }

  private List<DesiredAllocation> refresh(boolean newSession, String... ids) {
    List<TaskVersion> live = new ArrayList<>();
    for (String id : ids) {
      live.add(new TaskVersion(id, stored.containsKey(id) ? stored.get(id).getVersion() : 0));
    }
    return cache.refresh(live, id -> {
      reads.add(id);
      return stored.get(id);
    }, newSession);
  }

  private void store(String id, long version, Desired desired, AllocationStatus status) {
    stored.put(id, TaskRecord.newBuilder().setId(id).setVersion(version).setDesired(desired)
        .setSpec(TaskSpecRecord.newBuilder().setCommand("sleep"))
        .setAllocation(AllocationRecord.newBuilder().setId(id + ".1").setGeneration(1).setNode("a")
            .setStatus(status))
        .build());
  }

  @Test
  void anEmptySetIsSentWhenAsked() {
    assertThat(refresh(true)).isEmpty();
    assertThat(refresh()).isNull();
  }

  @Test
  void aNewSessionGetsTheWholeSetWithoutAnyRead() {
    store("t1", 5, Desired.RUN, AllocationStatus.ASSIGNED);
    refresh("t1");
    reads.clear();

    assertThat(refresh(true, "t1")).extracting(DesiredAllocation::getTaskId).containsExactly("t1");
    assertThat(reads).isEmpty();
  }

  @Test
  void onlyTasksWhoseVersionMovedAreReadAgain() {
    store("t1", 5, Desired.RUN, AllocationStatus.ASSIGNED);
    store("t2", 6, Desired.RUN, AllocationStatus.ASSIGNED);
    assertThat(refresh("t1", "t2")).extracting(DesiredAllocation::getTaskId).containsExactly("t1", "t2");
    reads.clear();

    assertThat(refresh("t1", "t2")).isNull();
    assertThat(reads).isEmpty();

    store("t2", 9, Desired.PAUSE, AllocationStatus.ALLOC_RUNNING);
    assertThat(refresh("t1", "t2")).extracting(DesiredAllocation::getDesired)
        .containsExactly(DesiredState.RUN, DesiredState.PAUSE);
    assertThat(reads).containsExactly("t2");
  }

  @Test
  void aNewVersionThatChangesNothingTheAgentSeesIsNotSent() {
    store("t1", 5, Desired.RUN, AllocationStatus.ASSIGNED);
    refresh("t1");

    store("t1", 7, Desired.RUN, AllocationStatus.ALLOC_RUNNING);   // the agent's own report

    assertThat(refresh("t1")).isNull();
  }

  @Test
  void aTaskThatLeavesOrJoinsTheNodeChangesTheSet() {
    store("t1", 5, Desired.RUN, AllocationStatus.ASSIGNED);
    store("t2", 6, Desired.RUN, AllocationStatus.ASSIGNED);
    refresh("t1", "t2");

    assertThat(refresh("t2")).extracting(DesiredAllocation::getTaskId).containsExactly("t2");
    store("t3", 8, Desired.RUN, AllocationStatus.ASSIGNED);
    assertThat(refresh("t2", "t3")).extracting(DesiredAllocation::getTaskId).containsExactly("t2", "t3");
    stored.remove("t2");   // deleted between the views and the read
    assertThat(refresh("t2", "t3")).extracting(DesiredAllocation::getTaskId).containsExactly("t3");
  }
}
