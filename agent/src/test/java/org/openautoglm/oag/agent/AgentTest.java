package org.openautoglm.oag.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.session.LeaseListener;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.Hello;
import org.openautoglm.oag.agent.v1.LogData;
import org.openautoglm.oag.agent.v1.LogRequest;
import org.openautoglm.oag.agent.v1.Readiness;
import org.openautoglm.oag.agent.v1.Restart;

/**
 * The agent against test coordinators: real gRPC on loopback, real processes. Each test
 * starts its own coordinators and one agent, which stops its processes when closed.
 */
class AgentTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path data;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void registersThenSaysHelloThenHeartbeatsWithIncreasingSeqAndHostMetrics() throws Exception {
    TestCoordinator c = coordinator();
    Agent agent = agent(builder(c).labels(Map.of("zone", "a", "gpu", "none")));

    await().atMost(WITHIN).until(() -> c.heartbeats.size() >= 3);
    assertThat(c.registers).isNotEmpty();
    var register = c.registers.get(0);
    assertThat(register.getNodeId()).isEqualTo("n1");
    assertThat(register.getBootId()).isEqualTo(agent.bootId()).isNotEmpty();
    assertThat(register.getCapacity().getCpuMillis()).isGreaterThanOrEqualTo(1000);
    assertThat(register.getCapacity().getMemoryMib()).isPositive();
    assertThat(register.getLabelsMap()).containsEntry("zone", "a").containsEntry("gpu", "none");

    Hello hello = c.hellos.get(0);
    assertThat(hello.getNodeId()).isEqualTo("n1");
    assertThat(hello.getBootId()).isEqualTo(agent.bootId());
    assertThat(hello.getMaxTermSeen()).isEqualTo(1);
    assertThat(hello.getInventoryList()).isEmpty();

    List<Long> seqs = c.heartbeats.stream().map(r -> r.heartbeat().getSeq()).toList();
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
    Heartbeat hb = c.heartbeats.get(0).heartbeat();
    assertThat(hb.getSentAtMs()).isPositive();
    assertThat(hb.getHost().getMemoryTotalMib()).isPositive();
    assertThat(hb.getHost().getMemoryUsedMib()).isPositive();
    assertThat(agent.connectedTo()).contains(c.address());
  }

  @Test
  void runsPausesAndStopsARealProcessAsDesired() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());

    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    AllocationStatus running = awaitState(c, "a", AllocationState.RUNNING);
    long sleep = running.getPid();   // the command itself; its wrapper leads the group
    assertThat(sleep).isPositive();
    long pgid = Procs.group(sleep);
    assertThat(pgid).isNotEqualTo(sleep);
    assertThat(Procs.members(pgid)).containsExactly(sleep);
    await().atMost(WITHIN).until(() -> c.latest("a").map(AllocationStatus::hasMetrics).orElse(false));
    assertThat(c.latest("a").get().getMetrics().getUptimeMs()).isGreaterThanOrEqualTo(0);
    assertThat(running.getTaskId()).isEqualTo("task-a");
    assertThat(running.getGeneration()).isEqualTo(1);

    c.sendDesired(1, 3, alloc("a", 1, DesiredState.PAUSE, "sleep", "60"));
    awaitState(c, "a", AllocationState.PAUSED);
    await().atMost(WITHIN).until(() -> Procs.state(sleep).equals(Optional.of('T')));

    c.sendDesired(1, 4, alloc("a", 1, DesiredState.STOP, "sleep", "60"));
    AllocationStatus killed = awaitState(c, "a", AllocationState.KILLED);
    assertThat(killed.getPid()).isEqualTo(sleep);
    await().atMost(WITHIN).until(() -> !Procs.alive(sleep) && !Procs.alive(pgid));
  }

  @Test
  void reportsTheExitCodeOfACommandThatExits() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());

    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sh", "-c", "exit 3"));
    AllocationStatus exited = awaitState(c, "a", AllocationState.EXITED);
    assertThat(exited.getExited()).isTrue();
    assertThat(exited.getExitCode()).isEqualTo(3);
    assertThat(exited.getRestarts()).isZero();
  }

  @Test
  void aStateChangeReachesTheLeaderWithinAStepNotAnInterval() throws Exception {
    TestCoordinator c = coordinator();
    // Heartbeats every 30 s: anything sooner than that was sent because something changed.
    agent(builder(c).heartbeat(Duration.ofSeconds(30)).sessionIdleTimeout(Duration.ofSeconds(60)));
    await().atMost(WITHIN).until(() -> !c.heartbeats.isEmpty());

    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sh", "-c", "exit 3"));
    await().atMost(Duration.ofSeconds(10)).until(() -> c.latest("a")
        .map(s -> s.getState() == AllocationState.EXITED).orElse(false));
    assertThat(c.heartbeats.get(c.heartbeats.size() - 1).heartbeat().getSeq())
        .isEqualTo(c.heartbeats.size());
  }

  @Test
  void reportsReadyOnceTheReadinessCheckPassesWithinAStepAndWithoutACheckOnceRunning()
      throws Exception {
    TestCoordinator c = coordinator();
    // Heartbeats every 30 s: a readiness change must reach the leader sooner, as a state change does.
    Agent agent = agent(builder(c).heartbeat(Duration.ofSeconds(30))
        .sessionIdleTimeout(Duration.ofSeconds(60)));
    await().atMost(WITHIN).until(() -> !c.heartbeats.isEmpty());
    DesiredAllocation checked = withReadiness(alloc("r", 1, DesiredState.RUN, "sleep", "60"),
        Readiness.newBuilder().addCommand("test").addCommand("-f").addCommand("ready")
            .setPeriodMs(50));

    c.sendDesired(1, 2, checked);
    AllocationStatus running = awaitState(c, "r", AllocationState.RUNNING);
    assertThat(running.getReady()).isFalse();
    assertThat(agent.allocations()).singleElement().extracting(AllocationStatus::getReady)
        .isEqualTo(false);

    Files.writeString(data.resolve("allocations/r/ready"), "");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> c.latest("r").map(AllocationStatus::getReady).orElse(false));
    assertThat(c.latest("r").orElseThrow().getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(agent.allocations()).singleElement().extracting(AllocationStatus::getReady)
        .isEqualTo(true);

    c.sendDesired(1, 3, checked.toBuilder().setDesired(DesiredState.PAUSE).build());
    assertThat(awaitState(c, "r", AllocationState.PAUSED).getReady()).isFalse();
    c.sendDesired(1, 4, checked);
    awaitState(c, "r", AllocationState.RUNNING);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> c.latest("r").map(AllocationStatus::getReady).orElse(false));

    c.sendDesired(1, 5, checked, alloc("plain", 1, DesiredState.RUN, "sleep", "60"));
    assertThat(awaitState(c, "plain", AllocationState.RUNNING).getReady()).isTrue();
  }

  @Test
  void dropsMessagesFromALowerTerm() throws Exception {
    TestCoordinator c = coordinator();
    Agent agent = agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.term = 5;
    c.sendDesired(5, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    long pgid = awaitState(c, "a", AllocationState.RUNNING).getPid();
    await().atMost(WITHIN).until(() -> agent.maxTermSeen() == 5);

    // A deposed leader's empty set would make "a" stale; it must change nothing.
    c.sendDesired(3, 9, new DesiredAllocation[0]);
    // Messages on one stream arrive in order: once this is answered the old set was handled.
    c.sendLogRequest(LogRequest.newBuilder().setRequestId(1).setAllocationId("a").setTailBytes(0));
    await().atMost(WITHIN).until(() -> c.logs(1).stream().anyMatch(LogData::getEnd));
    int seen = c.heartbeats.size();
    await().atMost(WITHIN).until(() -> c.heartbeats.size() >= seen + 3);
    AllocationStatus a = c.latest("a").orElseThrow();
    assertThat(a.getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(a.getPid()).isEqualTo(pgid);
    assertThat(agent.maxTermSeen()).isEqualTo(5);

    // Nor can a lower-term ack extend the lease.
    c.autoAck = false;
    c.sendLogRequest(LogRequest.newBuilder().setRequestId(2).setAllocationId("a").setTailBytes(0));
    await().atMost(WITHIN).until(() -> c.logs(2).stream().anyMatch(LogData::getEnd));
    long before = agent.leaseDeadlineNanos().orElseThrow();
    long seq = c.lastHeartbeat().orElseThrow().getSeq();
    c.ack(4, seq, 60_000);
    c.sendLogRequest(LogRequest.newBuilder().setRequestId(3).setAllocationId("a").setTailBytes(0));
    await().atMost(WITHIN).until(() -> c.logs(3).stream().anyMatch(LogData::getEnd));
    assertThat(agent.leaseDeadlineNanos().orElseThrow()).isEqualTo(before);
  }

  @Test
  void leaseRunsFromTheAckedHeartbeatsSendTimeNotFromTheAck() throws Exception {
    TestCoordinator c = coordinator();
    c.autoAck = false;
    List<Long> renewals = new CopyOnWriteArrayList<>();
    Agent agent = agent(builder(c), renewals::add);
    await().atMost(WITHIN).until(() -> c.heartbeats.size() >= 2);
    assertThat(agent.leaseDeadlineNanos()).isEmpty();

    TestCoordinator.Received first = c.heartbeats.get(0);
    TestCoordinator.Received second = c.heartbeats.get(1);
    long leaseMs = 3000;
    // Ack the second heartbeat well after it was sent: the lease must not count from now.
    await().atMost(WITHIN).until(() -> System.nanoTime() - second.atNanos() > 300_000_000L);
    long ackedAt = System.nanoTime();
    c.ack(1, second.heartbeat().getSeq(), leaseMs);
    await().atMost(WITHIN).until(() -> agent.leaseDeadlineNanos().isPresent());

    long deadline = agent.leaseDeadlineNanos().getAsLong();
    long sentAt = deadline - leaseMs * 1_000_000L;
    assertThat(sentAt - second.atNanos()).isLessThanOrEqualTo(0);
    assertThat(sentAt - first.atNanos()).isGreaterThan(0);
    assertThat(ackedAt - sentAt).isGreaterThan(250_000_000L);
    assertThat(renewals).containsExactly(deadline);

    // A late ack for an older heartbeat never shortens the lease.
    c.ack(1, first.heartbeat().getSeq(), leaseMs);
    c.sendLogRequest(LogRequest.newBuilder().setRequestId(7).setAllocationId("none"));
    await().atMost(WITHIN).until(() -> !c.logs(7).isEmpty());
    assertThat(agent.leaseDeadlineNanos().getAsLong()).isEqualTo(deadline);
    assertThat(renewals).containsExactly(deadline);
  }

  @Test
  void failsOverToTheNextCoordinatorWithTheRunningAllocationInItsHello() throws Exception {
    TestCoordinator c1 = coordinator();
    TestCoordinator c2 = coordinator();
    DesiredAllocation a = alloc("a", 1, DesiredState.RUN, "sleep", "60");
    c1.desiredOnHello = TestCoordinator.set(2, a);
    c2.desiredOnHello = TestCoordinator.set(2, a);
    c2.term = 2;
    c2.refuseRegister = Status.UNAVAILABLE.withDescription("not ready");
    Agent agent = agent(builder(c1, c2));
    long pgid = awaitState(c1, "a", AllocationState.RUNNING).getPid();

    c2.refuseRegister = null;
    c1.kill();

    await().atMost(WITHIN).until(() -> !c2.hellos.isEmpty());
    Hello hello = c2.hellos.get(0);
    assertThat(hello.getBootId()).isEqualTo(agent.bootId());
    // The register reply's term counts as seen.
    assertThat(hello.getMaxTermSeen()).isEqualTo(2);
    assertThat(hello.getInventoryList()).singleElement().satisfies(s -> {
      assertThat(s.getAllocationId()).isEqualTo("a");
      assertThat(s.getGeneration()).isEqualTo(1);
      assertThat(s.getState()).isEqualTo(AllocationState.RUNNING);
      assertThat(s.getPid()).isEqualTo(pgid);
    });
    await().atMost(WITHIN).until(() -> c2.heartbeats.size() >= 2);
    AllocationStatus after = c2.latest("a").orElseThrow();
    assertThat(after.getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(after.getPid()).isEqualTo(pgid);
    assertThat(after.getRestarts()).isZero();
    assertThat(Procs.alive(pgid)).isTrue();
    assertThat(agent.connectedTo()).contains(c2.address());
    assertThat(agent.maxTermSeen()).isEqualTo(2);
  }

  @Test
  void aCoordinatorThatNeverAnswersDoesNotHoldUpTheOneThatDoes() throws Exception {
    // A cut-off coordinator drops packets: its register is answered by nothing but the deadline.
    TestCoordinator cutOff = coordinator();
    cutOff.holdRegister = true;
    TestCoordinator good = coordinator();
    good.onRegister = () -> {
      await().atMost(WITHIN).until(() -> !cutOff.registers.isEmpty());
      return cutOff.openRegisters.get();
    };
    Agent agent = agent(builder(cutOff, good));

    await().atMost(WITHIN).until(() -> !good.heartbeats.isEmpty());
    // Registered with both at once: the good one heard from the agent while the register to
    // the cut-off one was still waiting for its answer (one by one, it would have waited out
    // that register's deadline first).
    assertThat(cutOff.registers).isNotEmpty();
    assertThat(good.registerSeen).first().isEqualTo(1);
    assertThat(agent.connectedTo()).contains(good.address());
  }

  @Test
  void triesTheNextCoordinatorWhenOneRefuses() throws Exception {
    TestCoordinator unavailable = coordinator();
    unavailable.refuseRegister = Status.UNAVAILABLE.withDescription("not ready");
    TestCoordinator precondition = coordinator();
    precondition.refuseSession = Status.FAILED_PRECONDITION.withDescription("other boot id");
    TestCoordinator good = coordinator();
    Agent agent = agent(builder(unavailable, precondition, good));

    await().atMost(WITHIN).until(() -> !good.heartbeats.isEmpty());
    assertThat(unavailable.registers).isNotEmpty();
    assertThat(precondition.registers).isNotEmpty();
    assertThat(precondition.hellos).isEmpty();
    assertThat(agent.connectedTo()).contains(good.address());
  }

  @Test
  void stopsAnAllocationTheDesiredSetNoLongerNamesAndThenForgetsIt() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    DesiredAllocation b = alloc("b", 1, DesiredState.RUN, "sleep", "60");
    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"), b);
    long a = awaitState(c, "a", AllocationState.RUNNING).getPid();
    long bPid = awaitState(c, "b", AllocationState.RUNNING).getPid();

    c.sendDesired(1, 3, b);
    awaitState(c, "a", AllocationState.KILLED);
    await().atMost(WITHIN).until(() -> !Procs.alive(a));
    await().atMost(WITHIN).until(() -> c.lastHeartbeat().map(h -> h.getAllocationsList().stream()
        .noneMatch(s -> s.getAllocationId().equals("a"))).orElse(false));
    assertThat(c.latest("b").orElseThrow().getPid()).isEqualTo(bPid);
    assertThat(c.latest("b").orElseThrow().getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(data.resolve("allocations").resolve("a")).isDirectory();
  }

  @Test
  void stopsAnOlderGenerationAndStartsTheNewOne() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    long first = awaitState(c, "a", AllocationState.RUNNING).getPid();

    c.sendDesired(1, 3, alloc("a", 2, DesiredState.RUN, "sleep", "61"));
    await().atMost(WITHIN).until(() -> c.latest("a").map(s -> s.getGeneration() == 2
        && s.getState() == AllocationState.RUNNING).orElse(false));
    assertThat(Procs.alive(first)).isFalse();
    assertThat(c.latest("a").get().getPid()).isNotEqualTo(first);
  }

  @Test
  void refusesMalformedDesiredAllocationsWithoutTouchingOthers() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    DesiredAllocation a = alloc("a", 1, DesiredState.RUN, "sleep", "60");
    c.sendDesired(1, 2, a);
    long pgid = awaitState(c, "a", AllocationState.RUNNING).getPid();

    c.sendDesired(1, 3, a,
        alloc("", 1, DesiredState.RUN, "sleep", "60"),
        alloc("b", 0, DesiredState.RUN, "sleep", "60"),
        alloc("c", 1, DesiredState.RUN),
        alloc("d/e", 1, DesiredState.RUN, "sleep", "60"),
        alloc("..", 1, DesiredState.RUN, "sleep", "60"),
        withReadiness(alloc("f", 1, DesiredState.RUN, "sleep", "60"),
            Readiness.newBuilder().setTcpPort(8080).addCommand("true")),
        withReadiness(alloc("g", 1, DesiredState.RUN, "sleep", "60"),
            Readiness.newBuilder().setTcpPort(70000)),
        withReadiness(alloc("h", 1, DesiredState.RUN, "sleep", "60"),
            Readiness.newBuilder().setTcpPort(8080).setPeriodMs(-1)));
    // A malformed entry for a running allocation leaves it as it is (not stale, not changed).
    c.sendDesired(1, 4, alloc("a", 1, DesiredState.STOP));
    int seen = c.heartbeats.size();
    await().atMost(WITHIN).until(() -> c.heartbeats.size() >= seen + 4);

    Heartbeat last = c.lastHeartbeat().orElseThrow();
    assertThat(last.getAllocationsList()).singleElement().satisfies(s -> {
      assertThat(s.getAllocationId()).isEqualTo("a");
      assertThat(s.getState()).isEqualTo(AllocationState.RUNNING);
      assertThat(s.getPid()).isEqualTo(pgid);
    });
    try (var folders = Files.list(data.resolve("allocations"))) {
      assertThat(folders.map(p -> p.getFileName().toString())).containsExactly("a");
    }
    assertThat(Files.exists(data.resolve("d"))).isFalse();
  }

  @Test
  void servesTheTailOfAnAllocationsOutputAndFollowsIt() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.sendDesired(1, 2,
        alloc("once", 1, DesiredState.RUN, "sh", "-c",
            "printf 'line1\\nline2\\n'; printf 'oops\\n' >&2; exec sleep 60"),
        alloc("ticks", 1, DesiredState.RUN, "sh", "-c",
            "i=0; while [ $i -lt 600 ]; do echo tick$i; i=$((i+1)); sleep 0.1; done"));
    awaitState(c, "once", AllocationState.RUNNING);
    Path out = data.resolve("allocations/once/stdout.log");
    await().atMost(WITHIN).until(() -> Files.exists(out) && Files.size(out) == 12);

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(1).setAllocationId("once").setTailBytes(6));
    await().atMost(WITHIN).until(() -> c.logs(1).stream().anyMatch(LogData::getEnd));
    assertThat(c.logText(1)).isEqualTo("line2\n");
    assertThat(c.logs(1).get(c.logs(1).size() - 1).getError()).isEmpty();

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(2).setAllocationId("once").setStderr(true)
        .setTailBytes(1000));
    await().atMost(WITHIN).until(() -> c.logs(2).stream().anyMatch(LogData::getEnd));
    assertThat(c.logText(2)).isEqualTo("oops\n");

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(3).setAllocationId("ticks")
        .setTailBytes(0).setFollow(true));
    await().atMost(WITHIN).until(() -> c.logText(3).split("\n").length >= 3);
    assertThat(c.logs(3)).noneMatch(LogData::getEnd);
    assertThat(c.logText(3)).matches("(?s)tick\\d+\n.*");
    assertThat(c.logs(3)).allMatch(d -> d.getData().size() <= 64 * 1024);

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(3).setCancel(true));
    await().atMost(WITHIN).until(() -> c.logs(3).stream().anyMatch(LogData::getEnd));

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(4).setAllocationId("nope").setFollow(true));
    await().atMost(WITHIN).until(() -> !c.logs(4).isEmpty());
    assertThat(c.logs(4)).singleElement().satisfies(d -> {
      assertThat(d.getEnd()).isTrue();
      assertThat(d.getError()).contains("unknown allocation");
    });
  }

  @Test
  void endsAFollowWhenTheAllocationIsForgotten() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    awaitState(c, "a", AllocationState.RUNNING);
    c.sendLogRequest(LogRequest.newBuilder().setRequestId(5).setAllocationId("a").setFollow(true));

    c.sendDesired(1, 3, new DesiredAllocation[0]);
    await().atMost(WITHIN).until(() -> c.logs(5).stream().anyMatch(LogData::getEnd));
    assertThat(c.logs(5).get(c.logs(5).size() - 1).getError()).isEmpty();
  }

  @Test
  void anAllocationStoppedBeforeItStartedIsReportedKilledWithoutRunning() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.sendDesired(1, 2, alloc("never", 1, DesiredState.STOP, "sleep", "60"));

    AllocationStatus killed = awaitState(c, "never", AllocationState.KILLED);
    assertThat(killed.getPid()).isZero();
    assertThat(Files.exists(data.resolve("allocations/never/pid"))).isFalse();
  }

  @Test
  void servesTheOutputOfAnAllocationItHasForgotten() throws Exception {
    TestCoordinator c = coordinator();
    agent(builder(c));
    await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
    c.sendDesired(1, 2, alloc("done", 1, DesiredState.RUN, "sh", "-c", "echo finished"));
    awaitState(c, "done", AllocationState.EXITED);
    c.sendDesired(1, 3, new DesiredAllocation[0]);
    await().atMost(WITHIN).until(() -> c.lastHeartbeat().map(h -> h.getAllocationsCount() == 0).orElse(false));

    c.sendLogRequest(LogRequest.newBuilder().setRequestId(6).setAllocationId("done").setTailBytes(100)
        .setFollow(true));
    await().atMost(WITHIN).until(() -> c.logs(6).stream().anyMatch(LogData::getEnd));
    assertThat(c.logText(6)).isEqualTo("finished\n");
    assertThat(c.logs(6).get(c.logs(6).size() - 1).getError()).isEmpty();
  }

  @Test
  void closeLeavesProcessesRunningByDefaultAndEndsTheStream() throws Exception {
    TestCoordinator c = coordinator();
    Agent agent = Agent.start(builder(c).stopTasksOnExit(false).build());
    try {
      await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
      c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
      long pgid = Procs.group(awaitState(c, "a", AllocationState.RUNNING).getPid());
      agent.close();
      await().atMost(WITHIN).until(() -> !c.sessionEnds.isEmpty());
      assertThat(Procs.alive(pgid)).isTrue();
      Procs.killGroup(pgid);
      await().atMost(WITHIN).until(() -> !Procs.alive(pgid));
    } finally {
      agent.close();
    }
  }

  @Test
  void closeWithStopTasksOnExitStopsEveryAllocationAndReportsIt() throws Exception {
    TestCoordinator c = coordinator();
    Agent agent = Agent.start(builder(c).stopTasksOnExit(true).build());
    try {
      await().atMost(WITHIN).until(() -> !c.hellos.isEmpty());
      c.sendDesired(1, 2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
      long pgid = awaitState(c, "a", AllocationState.RUNNING).getPid();
      agent.close();
      assertThat(Procs.alive(pgid)).isFalse();
      assertThat(c.latest("a").orElseThrow().getState()).isEqualTo(AllocationState.KILLED);
    } finally {
      agent.close();
    }
  }

  @Test
  void severalAgentsRunSideBySideInOneJvm(@TempDir Path other) throws Exception {
    TestCoordinator c1 = coordinator();
    TestCoordinator c2 = coordinator();
    c1.desiredOnHello = TestCoordinator.set(2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    c2.desiredOnHello = TestCoordinator.set(2, alloc("a", 1, DesiredState.RUN, "sleep", "60"));
    Agent first = agent(builder(c1));
    Agent second = agent(AgentConfig.builder("n2", List.of(c2.address()), other)
        .heartbeat(Duration.ofMillis(200)).supervisionStep(Duration.ofMillis(50))
        .stopTasksOnExit(true));

    long pgid1 = awaitState(c1, "a", AllocationState.RUNNING).getPid();
    long pgid2 = awaitState(c2, "a", AllocationState.RUNNING).getPid();
    assertThat(pgid1).isNotEqualTo(pgid2);
    assertThat(c1.hellos.get(0).getNodeId()).isEqualTo("n1");
    assertThat(c2.hellos.get(0).getNodeId()).isEqualTo("n2");
    assertThat(first.bootId()).isNotEqualTo(second.bootId());

    first.close();
    assertThat(Procs.alive(pgid1)).isFalse();
    int seen = c2.heartbeats.size();
    await().atMost(WITHIN).until(() -> c2.heartbeats.size() >= seen + 2);
    assertThat(c2.latest("a").orElseThrow().getState()).isEqualTo(AllocationState.RUNNING);
    assertThat(Procs.alive(pgid2)).isTrue();
  }

  private TestCoordinator coordinator() throws Exception {
    TestCoordinator c = TestCoordinator.start();
    toClose.add(c);
    return c;
  }

  private AgentConfig.Builder builder(TestCoordinator... coordinators) {
    return AgentConfig.builder("n1", Arrays.stream(coordinators).map(TestCoordinator::address)
            .toList(), data)
        .heartbeat(Duration.ofMillis(200))
        .supervisionStep(Duration.ofMillis(50))
        .reconnect(Duration.ofMillis(50), Duration.ofMillis(500))
        .logPoll(Duration.ofMillis(100))
        .defaultStopGrace(Duration.ofSeconds(5))
        .stopTasksOnExit(true);
  }

  private Agent agent(AgentConfig.Builder config) throws Exception {
    return agent(config, LeaseListener.NONE);
  }

  private Agent agent(AgentConfig.Builder config, LeaseListener lease) throws Exception {
    Agent agent = Agent.start(config.build(), lease);
    toClose.add(agent);
    return agent;
  }

  private static DesiredAllocation alloc(String id, long generation, DesiredState desired,
      String... command) {
    return DesiredAllocation.newBuilder()
        .setAllocationId(id)
        .setTaskId("task-" + (id.isEmpty() ? "x" : id))
        .setGeneration(generation)
        .setDesired(desired)
        .addAllCommand(List.of(command))
        .setRestart(Restart.NEVER)
        .setStopGraceMs(2000)
        .build();
  }

  private static DesiredAllocation withReadiness(DesiredAllocation d, Readiness.Builder readiness) {
    return d.toBuilder().setReadiness(readiness).build();
  }

  private static AllocationStatus awaitState(TestCoordinator c, String id, AllocationState state) {
    await().atMost(WITHIN).until(() -> c.latest(id).map(s -> s.getState() == state).orElse(false));
    return c.latest(id).orElseThrow();
  }

  private static long awaitChild(long pgid) {
    await().atMost(WITHIN).until(() -> !Procs.members(pgid).isEmpty());
    return Procs.members(pgid).get(0);
  }
}
