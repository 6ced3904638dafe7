package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.DrainNode;
import org.openautoglm.oag.command.v1.SetRebalanceSettings;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.coordinator.MiniCluster;
import org.openautoglm.oag.coordinator.state.Migrations;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.ReadinessRecord;
import org.openautoglm.oag.state.v1.RebalanceSettingsRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Drains and the rebalancer on an in-process cluster with scripted agents that do what their
 * desired sets say: an exclusive task moves break-before-make, an available one with a
 * readiness check make-before-break; a drain finishes once nothing is left on the node; movable
 * tasks spread onto a node that joins and then stay put.
 */
class MigrationIT {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  @TempDir Path dir;
  private MiniCluster cluster;
  private int leader;

  @BeforeEach
  void start() {
    cluster = MiniCluster.start(dir, 3);
    leader = cluster.awaitLeader();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private CommandResult propose(Command.Builder command) throws Exception {
    var raft = cluster.node(leader).raft();
    command.setHeader(CommandHeader.newBuilder().setVersion(1).setTerm(raft.term()).setTimeMs(System.currentTimeMillis()));
    byte[] reply = raft.propose(CommandBatch.newBuilder().addCommands(command).build().toByteArray())
        .get(10, TimeUnit.SECONDS);
    return BatchResult.parseFrom(reply).getResults(0);
  }

  private TaskRecord submit(String name, boolean makeBeforeBreak) throws Exception {
    return submit(TaskSpecRecord.newBuilder().setName(name).setCommand("sleep").addArgs("100")
        .setCpuMillis(100).setMemoryMib(64), makeBeforeBreak);
  }

  private TaskRecord submit(TaskSpecRecord.Builder spec, boolean makeBeforeBreak) throws Exception {
    if (makeBeforeBreak) {
      spec.setFencing(Fencing.AVAILABLE).setReadiness(ReadinessRecord.newBuilder().setTcpPort(8080));
    }
    return propose(Command.newBuilder().setSubmitTask(SubmitTask.newBuilder().setSpec(spec).setStart(true))).getTask();
  }

  private TaskRecord task(TaskRecord t) {
    return cluster.node(leader).raft().store().task(t.getId()).orElseThrow();
  }

  private NodeRecord node(String id) {
    return cluster.node(leader).raft().store().node(id).orElseThrow();
  }

  private TestAgent connected(String node) {
    TestAgent a = new TestAgent(node, "boot-1");
    a.register(cluster.channel(leader), 4000, 8192);
    a.connect(cluster.channel(leader), List.of());
    await().atMost(WITHIN).until(() -> cluster.node(leader).fleet().connected(node));
    return a;
  }

  /**
   * What an agent doing its desired set reports: RUN is running, and ready once the leader has
   * recorded it running (as a readiness check passes some time after the start, in a later
   * heartbeat than the one saying RUNNING); STOP is killed.
   */

  private List<AllocationStatus> obey(TestAgent agent) {
    DesiredSet set = agent.latestDesiredSet();
    if (set == null) {
      return List.of();
    }
    return set.getAllocationsList().stream().map(this::obeyed).toList();
  }

  private boolean runningAsReplicated(DesiredAllocation a) {
    TaskRecord t = cluster.node(leader).raft().store().task(a.getTaskId()).orElse(null);
    return t != null && Migrations.liveAllocations(t).stream().anyMatch(r -> r.getId().equals(a.getAllocationId())
        && r.getStatus() == org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_RUNNING);
  }

  private AllocationStatus obeyed(DesiredAllocation a) {
    boolean stop = a.getDesired() == DesiredState.STOP;
    boolean ready = !stop && runningAsReplicated(a);
    return AllocationStatus.newBuilder().setAllocationId(a.getAllocationId()).setTaskId(a.getTaskId())
        .setGeneration(a.getGeneration()).setState(stop ? AllocationState.KILLED : AllocationState.RUNNING)
        .setReady(ready).setPid(100 + a.getGeneration()).build();
  }

  /** Lets both agents do what they are told until {@code done}. */
  private void runUntil(TestAgent a, TestAgent b, java.util.concurrent.Callable<Boolean> done) {
    await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
      a.heartbeat(obey(a));
      if (b != null) {
        b.heartbeat(obey(b));
      }
      return done.call();
    });
  }

  @Test
  void aDrainMovesBothModesOffAndEndsOnlyWhenNothingIsLeft() throws Exception {
    try (TestAgent drained = connected("drained")) {
      TaskRecord exclusive = submit("exclusive", false);
      TaskRecord served = submit("served", true);
      runUntil(drained, null, () -> task(exclusive).getStatus() == TaskStatus.RUNNING
          && task(served).getStatus() == TaskStatus.RUNNING);

      try (TestAgent other = connected("other")) {
        CommandResult r = propose(Command.newBuilder().setDrainNode(DrainNode.newBuilder().setNodeId("drained")
            .setDeadlineMs(System.currentTimeMillis() + 60_000)));
        assertThat(r.getCode()).isEqualTo(CommandResult.Code.OK);

        // The available task's new instance runs on the other node while the old one still runs.
        await().atMost(WITHIN).until(() -> task(served).getMigration().hasOld());
        assertThat(task(served).getMigration().getOld().getNode()).isEqualTo("drained");
        assertThat(cluster.node(leader).raft().store().tasksOnNode("drained"))
            .extracting(TaskRecord::getId).contains(served.getId());

        runUntil(drained, other, () -> !node("drained").hasDrain());

        TaskRecord e = task(exclusive);
        TaskRecord s = task(served);
        assertThat(e.getAllocation().getNode()).isEqualTo("other");
        assertThat(e.getPreviousAllocations(0).getNode()).isEqualTo("drained");
        assertThat(s.getAllocation().getNode()).isEqualTo("other");
        assertThat(s.hasMigration()).isFalse();
        assertThat(s.getPreviousAllocations(0).getNode()).isEqualTo("drained");
        assertThat(cluster.node(leader).raft().store().tasksOnNode("drained")).isEmpty();
        var report = node("drained").getLastDrain();
        assertThat(report.getOutcome()).isEqualTo("complete");
        assertThat(report.getMigrated()).isEqualTo(2);
      }
    }
  }

  @Test
  void movableTasksSpreadOntoANodeThatJoinsAndThenStayPut() throws Exception {
    propose(Command.newBuilder().setSetRebalanceSettings(SetRebalanceSettings.newBuilder()
        .setSettings(RebalanceSettingsRecord.newBuilder().setIntervalMs(1_000))));
    try (TestAgent busy = connected("busy")) {
      List<TaskRecord> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        // 6 x 500 millicores of busy's 4000: 75 % in use.
        tasks.add(submit(TaskSpecRecord.newBuilder().setName("m" + i).setCommand("sleep").addArgs("100")
            .setCpuMillis(500).setMemoryMib(64).setMovable(true), false));
      }
      runUntil(busy, null, () -> tasks.stream().allMatch(t -> task(t).getStatus() == TaskStatus.RUNNING));

      try (TestAgent joined = connected("joined")) {
        // 75 against 0 points: three moves of 12.5 points each leave 37.5 on both.
        runUntil(busy, joined, () -> onNode("joined", tasks) == 3 && onNode("busy", tasks) == 3
            && tasks.stream().allMatch(t -> task(t).getStatus() == TaskStatus.RUNNING && !task(t).hasMigration()));
        // Balanced within the threshold: nothing moves any more.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
            .until(() -> {
              busy.heartbeat(obey(busy));
              joined.heartbeat(obey(joined));
              return onNode("joined", tasks) == 3 && tasks.stream().noneMatch(t -> task(t).hasMigration());
            });
        assertThat(tasks).allSatisfy(t -> assertThat(task(t).getAllocation().getGeneration()).isLessThanOrEqualTo(2));
      }
    }
  }

  private long onNode(String node, List<TaskRecord> tasks) {
    return tasks.stream().filter(t -> node.equals(task(t).getAllocation().getNode())
        && task(t).getAllocation().getStatus() == org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_RUNNING).count();
  }
}
