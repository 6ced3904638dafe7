package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Heartbeat;

/** The simulated agent "runs" its desired set as the real reconciler would report it. */
class SimAllocationsTest {
  private static final long S = 1_000_000_000L;

  private static DesiredAllocation alloc(String id, long generation, DesiredState desired) {
    return DesiredAllocation.newBuilder().setAllocationId(id).setTaskId("t-" + id).setGeneration(generation)
        .setDesired(desired).addCommand("true").build();
  }

  private static DesiredSet set(long version, DesiredAllocation... allocations) {
    return DesiredSet.newBuilder().setVersion(version).addAllAllocations(List.of(allocations)).build();
  }

  private static List<AllocationStatus> beat(SimAllocations a, long now) {
    Heartbeat.Builder hb = Heartbeat.newBuilder();
    a.report(hb, now, new SplittableRandom(1));
    return hb.getAllocationsList();
  }

  @Test
  void whatTheSetRunsIsReportedRunningAndReadyWithMetricsAndAPid() {
    SimAllocations a = new SimAllocations(5_000);
    a.apply(3, set(10, alloc("a1", 1, DesiredState.RUN), alloc("a2", 1, DesiredState.PAUSE)), 0);

    List<AllocationStatus> s = beat(a, 2 * S);

    assertThat(s).extracting(AllocationStatus::getAllocationId).containsExactly("a1", "a2");
    assertThat(s.get(0).getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(s.get(0).getReady()).isTrue();
    assertThat(s.get(0).getPid()).isGreaterThan(5_000);
    assertThat(s.get(0).getMetrics().getUptimeMs()).isEqualTo(2_000);
    assertThat(s.get(0).getMetrics().getCpuPercent()).isPositive();
    assertThat(s.get(1).getState()).isEqualTo(AllocationState.PAUSED);
    assertThat(s.get(1).getReady()).isFalse();
    assertThat(a.running()).isEqualTo(1);
    assertThat(a.inventory()).allSatisfy(x -> assertThat(x.hasMetrics()).isFalse());
  }

  @Test
  void anAllocationTheSetDropsIsReportedKilledOnceAndThenForgotten() {
    SimAllocations a = new SimAllocations(0);
    a.apply(3, set(10, alloc("a1", 1, DesiredState.RUN)), 0);
    a.apply(3, set(11), S);

    assertThat(beat(a, S)).singleElement().satisfies(x -> {
      assertThat(x.getState()).isEqualTo(AllocationState.KILLED);
      assertThat(x.hasMetrics()).isFalse();
    });
    assertThat(beat(a, 2 * S)).isEmpty();
    assertThat(a.running()).isZero();
  }

  @Test
  void aStopIsKilledAndStaysReportedWhileTheSetNamesItAndANewGenerationRunsAgain() {
    SimAllocations a = new SimAllocations(0);
    a.apply(3, set(10, alloc("a1", 1, DesiredState.RUN)), 0);
    a.apply(3, set(11, alloc("a1", 1, DesiredState.STOP)), S);
    assertThat(beat(a, S)).singleElement().extracting(AllocationStatus::getState).isEqualTo(AllocationState.KILLED);
    assertThat(beat(a, 2 * S)).singleElement().extracting(AllocationStatus::getState)
        .isEqualTo(AllocationState.KILLED);

    a.apply(3, set(12, alloc("a1", 2, DesiredState.RUN)), 3 * S);

    assertThat(beat(a, 3 * S)).singleElement().satisfies(x -> {
      assertThat(x.getGeneration()).isEqualTo(2);
      assertThat(x.getState()).isEqualTo(AllocationState.RUNNING);
    });
  }

  @Test
  void anOlderSetOfTheSameTermIsIgnoredButANewTermsIsTaken() {
    SimAllocations a = new SimAllocations(0);
    a.apply(3, set(10, alloc("a1", 1, DesiredState.RUN)), 0);

    assertThat(a.apply(3, set(9), S)).isFalse();
    assertThat(a.running()).isEqualTo(1);
    assertThat(a.apply(4, set(2), S)).isTrue();
    assertThat(a.running()).isZero();
  }

  @Test
  void pauseAndResumeFollowTheSet() {
    SimAllocations a = new SimAllocations(0);
    a.apply(3, set(10, alloc("a1", 1, DesiredState.RUN)), 0);
    a.apply(3, set(11, alloc("a1", 1, DesiredState.PAUSE)), S);
    assertThat(beat(a, S)).singleElement().extracting(AllocationStatus::getState).isEqualTo(AllocationState.PAUSED);
    a.apply(3, set(12, alloc("a1", 1, DesiredState.RUN)), 2 * S);
    assertThat(beat(a, 2 * S)).singleElement().satisfies(x -> {
      assertThat(x.getState()).isEqualTo(AllocationState.RUNNING);
      assertThat(x.getMetrics().getUptimeMs()).isEqualTo(2_000);   // the same run, not a restart
    });
  }
}
