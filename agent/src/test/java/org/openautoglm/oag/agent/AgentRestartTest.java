package org.openautoglm.oag.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.lease.KeeperProcess;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;

/**
 * What outlives an agent: its processes (re-adopted by the next agent on the same data dir)
 * and, for exclusive work, its lease (enforced by the keeper once nobody renews it).
 */
class AgentRestartTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir Path data;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<Long> groups = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    for (long pgid : groups) {
      if (Procs.alive(pgid)) {
        Procs.killGroup(pgid);
      }
    }
    KeeperProcess.running(data).ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
  }

  @Test
  void aRestartedAgentReadoptsItsRunningProcessAndReportsOneThatExitedMeanwhile() throws Exception {
    Path release = data.resolve("release");
    TestCoordinator c = coordinator();
    DesiredAllocation sleeper = alloc("a", "sleep", "60");
    DesiredAllocation waiter = alloc("b", "sh", "-c",
        "while [ ! -e " + release + " ]; do sleep 0.05; done; exit 7");
    c.desiredOnHello = TestCoordinator.set(2, sleeper, waiter);
    Agent first = Agent.start(builder(c).build());
    long pgid = awaitState(c, "a", AllocationState.RUNNING).getPid();   // the command's pid
    long waiterPgid = awaitState(c, "b", AllocationState.RUNNING).getPid();
    groups.add(Procs.group(pgid));
    first.close();   // processes outlive their agent
    Files.createFile(release);
    await().atMost(WITHIN).until(() -> !Procs.alive(waiterPgid));

    TestCoordinator next = coordinator();
    next.desiredOnHello = TestCoordinator.set(2, sleeper, waiter);
    agent(builder(next));
    await().atMost(WITHIN).until(() -> !next.hellos.isEmpty());

    AllocationStatus adopted = inventory(next, "a");
    assertThat(adopted.getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(adopted.getPid()).isEqualTo(pgid);
    AllocationStatus ended = inventory(next, "b");
    assertThat(ended.getState()).isEqualTo(AllocationState.EXITED);
    assertThat(ended.getExitCode()).isEqualTo(7);
    // The same desired set again starts nothing new: one process group, never relaunched.
    await().atMost(WITHIN).until(() -> next.heartbeats.size() >= 3);
    AllocationStatus later = next.latest("a").orElseThrow();
    assertThat(later.getPid()).isEqualTo(pgid);
    assertThat(later.getRestarts()).isZero();
    assertThat(Procs.alive(pgid)).isTrue();
  }

  @Test
  void whenNobodyRenewsTheLeaseTheKeeperKillsExclusiveWorkAndLeavesAvailableWorkRunning()
      throws Exception {
    TestCoordinator c = coordinator();
    c.leaseMs = 1500;
    c.desiredOnHello = TestCoordinator.set(2,
        alloc("x", "sleep", "60").toBuilder().setExclusive(true).build(),
        alloc("y", "sleep", "60"));
    Agent agent = Agent.start(builder(c).build());
    long exclusive = awaitState(c, "x", AllocationState.RUNNING).getPid();
    long available = awaitState(c, "y", AllocationState.RUNNING).getPid();
    groups.add(Procs.group(exclusive));
    groups.add(Procs.group(available));
    assertThat(KeeperProcess.running(data)).isPresent();

    agent.close();   // as dead as an agent gets in-process: no more renewals
    await().atMost(WITHIN).until(() -> !Procs.alive(exclusive));
    assertThat(Files.exists(data.resolve("leases").resolve("x.killed"))).isTrue();
    assertThat(Procs.alive(available)).isTrue();

    // The next agent reports the fenced allocation killed, not exited, and does not restart it.
    TestCoordinator next = coordinator();
    agent(builder(next));
    await().atMost(WITHIN).until(() -> !next.hellos.isEmpty());
    AllocationStatus fenced = inventory(next, "x");
    assertThat(fenced.getState()).isEqualTo(AllocationState.FENCED);
    assertThat(fenced.getReason()).contains("lease");
  }

  @Test
  void exclusiveWorkStartsOnlyOnceALeaseIsHeld() throws Exception {
    TestCoordinator c = coordinator();
    c.autoAck = false;
    c.desiredOnHello = TestCoordinator.set(2, alloc("x", "sleep", "60").toBuilder().setExclusive(true).build());
    agent(builder(c));
    await().atMost(WITHIN).until(() -> c.latest("x").isPresent());
    assertThat(c.latest("x").orElseThrow().getState()).isEqualTo(AllocationState.ASSIGNED);

    c.autoAck = true;
    groups.add(Procs.group(awaitState(c, "x", AllocationState.RUNNING).getPid()));
  }

  private static AllocationStatus inventory(TestCoordinator c, String id) {
    return c.hellos.get(0).getInventoryList().stream()
        .filter(s -> s.getAllocationId().equals(id)).findFirst().orElseThrow();
  }

  private TestCoordinator coordinator() throws Exception {
    TestCoordinator c = TestCoordinator.start();
    toClose.add(c);
    return c;
  }

  private AgentConfig.Builder builder(TestCoordinator c) {
    return AgentConfig.builder("n1", List.of(c.address()), data)
        .heartbeat(Duration.ofMillis(200))
        .supervisionStep(Duration.ofMillis(50))
        .reconnect(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private Agent agent(AgentConfig.Builder config) throws Exception {
    Agent agent = Agent.start(config.stopTasksOnExit(true).build());
    toClose.add(agent);
    return agent;
  }

  private static DesiredAllocation alloc(String id, String... command) {
    return DesiredAllocation.newBuilder()
        .setAllocationId(id)
        .setTaskId("task-" + id)
        .setGeneration(1)
        .setDesired(DesiredState.RUN)
        .addAllCommand(List.of(command))
        .setStopGraceMs(2000)
        .build();
  }

  private static AllocationStatus awaitState(TestCoordinator c, String id, AllocationState state) {
    await().atMost(WITHIN).until(() -> c.latest(id).map(s -> s.getState() == state).orElse(false));
    return c.latest(id).orElseThrow();
  }
}
