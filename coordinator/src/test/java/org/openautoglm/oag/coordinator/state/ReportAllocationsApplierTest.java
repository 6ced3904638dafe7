package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.place;
import static org.openautoglm.oag.coordinator.state.Fixtures.placement;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;
import static org.openautoglm.oag.coordinator.state.Fixtures.report;
import static org.openautoglm.oag.coordinator.state.Fixtures.reports;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openautoglm.oag.command.v1.AllocationReport;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class ReportAllocationsApplierTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;
  private long now = 10_000;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
    feed.apply(1, register(1, 1_000, node("n1", "b1", 8_000, 16_384, 0)),
        register(1, 1_000, node("n2", "b1", 8_000, 16_384, 0)));
    feed.apply(1, submit(1, 1_000, "a"));
    feed.one(1, place(1, 2_000, placement("t1", "n1", feed.index)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TaskRecord t1() {
    return store.task("t1").orElseThrow();
  }

  private CommandResult send(String node, AllocationReport.Builder... reports) throws IOException {
    now += 1_000;
    return feed.one(1, reports(1, now, node, reports));
  }

  private List<String> eventsOfLastEntry() {
    return store.events(feed.index - 1, -1, 10).stream().map(EventRecord::getType).toList();
  }

  static Stream<Arguments> transitions() {
    return Stream.of(
        Arguments.of(report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(42), Desired.RUN,
            TaskStatus.RUNNING, "running on n1"),
        Arguments.of(report("t1", 1, AllocationStatus.BACKOFF).setExited(true).setExitCode(1).setRestarts(1)
            .setReason("exited with code 1"), Desired.RUN, TaskStatus.SCHEDULED, "restarting: exited with code 1"),
        Arguments.of(report("t1", 1, AllocationStatus.ALLOC_PAUSED), Desired.PAUSE, TaskStatus.PAUSED, "paused on n1"),
        Arguments.of(report("t1", 1, AllocationStatus.EXITED).setExited(true), Desired.RUN,
            TaskStatus.SUCCEEDED, "exited with code 0"),
        Arguments.of(report("t1", 1, AllocationStatus.EXITED).setExited(true).setExitCode(3), Desired.RUN,
            TaskStatus.FAILED, "exited with code 3"),
        Arguments.of(report("t1", 1, AllocationStatus.EXITED).setExited(true).setExitCode(137), Desired.RUN,
            TaskStatus.FAILED, "exited with code 137"),
        Arguments.of(report("t1", 1, AllocationStatus.KILLED).setReason("memory above 512 MiB"), Desired.RUN,
            TaskStatus.FAILED, "memory above 512 MiB"),
        Arguments.of(report("t1", 1, AllocationStatus.KILLED).setReason("SIGTERM"), Desired.STOP,
            TaskStatus.STOPPED, "stopped on request"),
        Arguments.of(report("t1", 1, AllocationStatus.ALLOC_FAILED).setReason("restart budget exhausted"),
            Desired.RUN, TaskStatus.PENDING, "restart budget exhausted on n1; placing it elsewhere (reschedule 1 of 3)"),
        Arguments.of(report("t1", 1, AllocationStatus.ALLOC_LOST).setReason("lease lapsed"), Desired.RUN,
            TaskStatus.PENDING, "lost on n1 (lease lapsed); placing it elsewhere"));
  }

  @ParameterizedTest
  @MethodSource("transitions")
  void theTaskFollowsItsAllocation(AllocationReport.Builder report, Desired desired, TaskStatus status,
      String message) throws IOException {
    if (desired == Desired.STOP) {
      feed.one(1, update(1, 3_000, "t1", Action.STOP));
    }
    CommandResult r = send("n1", report);

    assertEquals(Code.OK, r.getCode());
    assertEquals("applied 1, unchanged 0", r.getMessage());
    TaskRecord t = t1();
    AllocationRecord a = t.getAllocation();
    assertEquals(status, t.getStatus());
    assertEquals(message, t.getMessage());
    assertEquals(feed.index, t.getVersion());
    assertEquals(now, t.getUpdatedAtMs());
    assertEquals(report.getStatus(), a.getStatus());
    assertEquals(report.getPid(), a.getPid());
    assertEquals(report.getExitCode(), a.getExitCode());
    assertEquals(report.getRestarts(), a.getRestarts());
    assertEquals(report.getReason(), a.getReason());
    boolean ended = TaskStates.isEnded(report.getStatus());
    assertEquals(ended ? now : 0, a.getEndedAtMs());
    assertEquals(TaskStates.isTerminal(status) ? now : 0, t.getFinishedAtMs());
    assertEquals(report.getStatus() == AllocationStatus.ALLOC_RUNNING ? now : 0, a.getStartedAtMs());
    if (status == TaskStatus.SCHEDULED) {  // BACKOFF: the task stays SCHEDULED; the allocation event says why
      assertEquals(List.of(Events.allocation(report.getStatus())), eventsOfLastEntry());
      assertEquals("backoff, exit code 1, restarts 1: exited with code 1",
          store.events(feed.index - 1, -1, 10).get(0).getMessage());
    } else {
      assertEquals(List.of(Events.allocation(report.getStatus()), Events.task(status)), eventsOfLastEntry());
      assertEquals(message, store.events(feed.index - 1, -1, 10).get(1).getMessage());
    }
    assertEquals(ended ? List.of() : List.of("t1"), store.tasksOnNode("n1").stream().map(TaskRecord::getId).toList());
    assertEquals(ended ? NodeUsage.NONE : new NodeUsage(500, 1_024, 0, 1), store.used("n1"));
  }

  @Test
  void aRestartBudgetRunOutIsPlacedAgainKTimesThenTheTaskFails() throws IOException {
    int max = FailoverSettings.DEFAULTS.maxReschedules();
    for (int generation = 1; generation <= max + 1; generation++) {
      String node = generation % 2 == 1 ? "n1" : "n2";
      if (generation > 1) {
        TaskRecord pending = t1();
        feed.one(1, place(1, now, placement("t1", node, pending.getVersion()).toBuilder()
            .setPreviousGeneration(generation - 1).build()));
      }
      send(node, report("t1", generation, AllocationStatus.ALLOC_FAILED).setReason("restart budget exhausted"));

      TaskRecord t = t1();
      assertEquals(Math.min(generation, max), t.getReschedules());
      if (generation <= max) {
        assertEquals(TaskStatus.PENDING, t.getStatus());
        assertEquals("", t.getNode());
        assertEquals("restart budget exhausted on " + node + "; placing it elsewhere (reschedule " + generation
            + " of " + max + ")", t.getMessage());
      } else {
        assertEquals(TaskStatus.FAILED, t.getStatus());
        assertEquals("restart budget exhausted on " + node + "; rescheduled " + max + " times, giving up",
            t.getMessage());
      }
    }
    assertEquals(max, t1().getPreviousAllocationsCount());
    assertEquals(List.of(), store.pendingTasks(10));
  }

  @Test
  void anAssignedReportOfANewAllocationChangesNothing() throws IOException {
    TaskRecord before = t1();
    assertEquals("applied 0, unchanged 1", send("n1", report("t1", 1, AllocationStatus.ASSIGNED)).getMessage());
    assertEquals(before, t1());
    assertEquals(List.of(), eventsOfLastEntry());
  }

  @Test
  void aRepeatedReportChangesNothing() throws IOException {
    send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(42));
    TaskRecord running = t1();
    long events = store.meta().getEventCount();

    CommandResult r = send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(42));

    assertEquals("applied 0, unchanged 1", r.getMessage());
    assertEquals(running, t1());
    assertEquals(events, store.meta().getEventCount());
  }

  @Test
  void startedAtIsTheFirstRunAndRestartsAreEvents() throws IOException {
    send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(42));
    long firstStart = now;
    send("n1", report("t1", 1, AllocationStatus.BACKOFF).setExited(true).setExitCode(1).setRestarts(1));
    assertEquals("restarting: exited with code 1", t1().getMessage());
    send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(43).setRestarts(1));

    assertEquals(firstStart, t1().getAllocation().getStartedAtMs());
    assertEquals(TaskStatus.RUNNING, t1().getStatus());
    assertEquals(1, t1().getAllocation().getRestarts());
    assertEquals(List.of("allocation.running", "task.running"), eventsOfLastEntry());
  }

  @Test
  void staleReportsAreSkipped() throws IOException {
    TaskRecord before = t1();
    CommandResult r = send("n1",
        report("t1", 2, AllocationStatus.ALLOC_RUNNING),
        report("t1", 1, AllocationStatus.ALLOC_RUNNING).setAllocationId("t1.9"),
        report("t9", 1, AllocationStatus.ALLOC_RUNNING));

    assertEquals("applied 0, unchanged 0, skipped 3: "
        + "t1 stale: allocation t1.2 generation 2, current t1.1 generation 1; "
        + "t1 stale: allocation t1.9 generation 1, current t1.1 generation 1; t9 not found", r.getMessage());
    assertEquals(before, t1());
  }

  @Test
  void anotherNodesReportIsSkipped() throws IOException {
    CommandResult r = send("n2", report("t1", 1, AllocationStatus.ALLOC_RUNNING));
    assertEquals("applied 0, unchanged 0, skipped 1: t1 allocation t1.1 is on n1, not n2", r.getMessage());
    assertEquals(TaskStatus.SCHEDULED, t1().getStatus());
  }

  @Test
  void nothingMovesAFinishedTaskOrAnEndedAllocation() throws IOException {
    send("n1", report("t1", 1, AllocationStatus.ALLOC_LOST));
    CommandResult revived = send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING));
    assertEquals("applied 0, unchanged 0, skipped 1: t1 allocation t1.1 has already ended lost", revived.getMessage());
    assertEquals(TaskStatus.PENDING, t1().getStatus());

    feed.apply(1, submit(1, 1_000, "b"));
    feed.one(1, place(1, 2_000, placement("t2", "n1", feed.index)));
    send("n1", report("t2", 1, AllocationStatus.EXITED).setExited(true));
    CommandResult late = send("n1", report("t2", 1, AllocationStatus.ALLOC_RUNNING));
    assertEquals("applied 0, unchanged 0, skipped 1: t2 is already SUCCEEDED", late.getMessage());
  }

  @Test
  void stopOfAPlacedTaskWaitsForTheAgent() throws IOException {
    send("n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING));
    TaskRecord stopping = feed.one(1, update(1, 20_000, "t1", Action.STOP)).getTask();
    assertEquals(TaskStatus.RUNNING, stopping.getStatus());
    assertEquals(Desired.STOP, stopping.getDesired());
    assertEquals(AllocationStatus.ALLOC_RUNNING, stopping.getAllocation().getStatus());
    assertEquals(List.of("task.desired"), eventsOfLastEntry());
    assertEquals(List.of(stopping), store.tasksOnNode("n1"), "still in the node's desired set, to be stopped");

    send("n1", report("t1", 1, AllocationStatus.KILLED).setExited(true).setExitCode(143));
    assertEquals(TaskStatus.STOPPED, t1().getStatus());
    assertTrue(store.tasksOnNode("n1").isEmpty());
  }

  @Test
  void invalidReportsNameTheField() throws IOException {
    assertEquals("reports[0].status", send("n1", report("t1", 1, AllocationStatus.ALLOCATION_STATUS_UNSPECIFIED))
        .getField());
    assertEquals("reports[0].generation", send("n1", report("t1", 0, AllocationStatus.ALLOC_RUNNING)).getField());
    assertEquals("reports[0].task_id", send("n1", report("x", 1, AllocationStatus.ALLOC_RUNNING)).getField());
    assertEquals("node", send("", report("t1", 1, AllocationStatus.ALLOC_RUNNING)).getField());
  }
}
