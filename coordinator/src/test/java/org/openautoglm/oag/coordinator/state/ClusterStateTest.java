package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.node;
import static org.openautoglm.oag.coordinator.state.Fixtures.place;
import static org.openautoglm.oag.coordinator.state.Fixtures.placement;
import static org.openautoglm.oag.coordinator.state.Fixtures.register;
import static org.openautoglm.oag.coordinator.state.Fixtures.report;
import static org.openautoglm.oag.coordinator.state.Fixtures.reports;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/** Nodes, allocations and events across a reopen, between twin replicas, and as listeners see them. */
class ClusterStateTest {

  @TempDir Path dir;

  /** Two nodes, tasks placed on both, some running, one finished, one stale report, a restart. */
  private static List<CommandBatch> history() {
    List<CommandBatch> entries = new ArrayList<>();
    entries.add(Fixtures.batch(register(1, 1_000, node("n1", "b1", 2_000, 4_096, 1)),
        register(1, 1_000, node("n2", "b1", 2_000, 4_096, 0))));
    entries.add(Fixtures.batch(submit(1, 1_100, "a"), submit(1, 1_100, "b"), submit(1, 1_100, "c"),
        submit(header(1, 1_100), spec("g").toBuilder().setGpus(1).build(), true)));
    entries.add(Fixtures.batch(place(1, 1_200, placement("t1", "n1", 2), placement("t2", "n2", 2),
        placement("t3", "n1", 2), placement("t4", "n2", 2))));
    entries.add(Fixtures.batch(reports(1, 1_300, "n1", report("t1", 1, AllocationStatus.ALLOC_RUNNING).setPid(7),
        report("t3", 1, AllocationStatus.EXITED).setExited(true)),
        reports(1, 1_300, "n2", report("t2", 1, AllocationStatus.ALLOC_RUNNING), report("t1", 1,
            AllocationStatus.KILLED))));
    entries.add(Fixtures.batch(place(2, 1_400, placement("t4", "n1", 2)), update(2, 1_400, "t2", Action.STOP),
        register(2, 1_400, node("n2", "b2", 2_000, 4_096, 0))));
    return entries;
  }

  private static long feed(StateStore store, List<CommandBatch> entries) throws IOException {
    long index = store.meta().getAppliedIndex();
    for (CommandBatch entry : entries) {
      long term = entry.getCommands(0).getHeader().getTerm();
      store.applyBatch(term, ++index, entry, entry.toByteArray());
    }
    return index;
  }

  private record Snapshot(MetaRecord meta, Object nodes, Object onN1, Object onN2, NodeUsage usedN1,
      NodeUsage usedN2, Object pending, Object events) {
    static Snapshot of(StateStore s) {
      return new Snapshot(s.meta(), s.nodes(), s.tasksOnNode("n1"), s.tasksOnNode("n2"), s.used("n1"),
          s.used("n2"), s.pendingTasks(100), s.events(0, 0, 1_000));
    }
  }

  @Test
  void theHistoryEndsWhereExpected() throws IOException {
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      feed(store, history());
      assertEquals(List.of("t1", "t4"), store.tasksOnNode("n1").stream().map(TaskRecord::getId).toList());
      assertEquals(List.of("t2"), store.tasksOnNode("n2").stream().map(TaskRecord::getId).toList());
      assertEquals(new NodeUsage(1_000, 2_048, 1, 2), store.used("n1"));
      assertEquals(new NodeUsage(500, 1_024, 0, 1), store.used("n2"));
      assertEquals("b2", store.node("n2").orElseThrow().getBootId());
      assertEquals(AllocationStatus.ALLOC_RUNNING, store.task("t1").orElseThrow().getAllocation().getStatus(),
          "n2's report about t1 was stale");
      assertEquals(store.events(0, 0, 1_000).size(), store.meta().getEventCount());
    }
  }

  @Test
  void reopenRebuildsNodesUsageAndTheEventCount() throws IOException {
    Path db = dir.resolve("db");
    Snapshot before;
    try (StateStore store = Fixtures.open(db)) {
      feed(store, history());
      before = Snapshot.of(store);
    }
    try (StateStore store = Fixtures.open(db)) {
      assertEquals(before, Snapshot.of(store));
    }
  }

  @Test
  void twoStoresFedTheSameEntriesAgree(@TempDir Path other) throws IOException {
    try (StateStore store = Fixtures.open(dir.resolve("db")); StateStore twin = Fixtures.open(other.resolve("twin"))) {
      for (CommandBatch entry : history()) {
        long term = entry.getCommands(0).getHeader().getTerm();
        long index = store.meta().getAppliedIndex() + 1;
        assertEquals(store.applyBatch(term, index, entry, entry.toByteArray()),
            twin.applyBatch(term, index, entry, entry.toByteArray()));
      }
      assertEquals(store.meta(), twin.meta());
      assertEquals(Snapshot.of(store), Snapshot.of(twin));
      for (var n : store.nodes()) {
        assertArrayEquals(Records.toBytes(n), Records.toBytes(twin.node(n.getId()).orElseThrow()));
      }
    }
  }

  @Test
  void listenersHearWhichNodesMayHaveChanged() throws IOException {
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      List<AppliedChanges> heard = new ArrayList<>();
      store.addAppliedListener(heard::add);
      store.addAppliedListener(c -> {
        throw new IllegalStateException("a failing listener is only logged");
      });
      feed(store, history());
      new Fixtures.Feeder(store).apply(2, submit(header(2, 2_000), spec("later"), false));

      assertEquals(List.of(
          new AppliedChanges(1, Set.of("n1", "n2"), true),   // registered
          new AppliedChanges(2, Set.of(), true),             // tasks became pending
          new AppliedChanges(3, Set.of("n1", "n2"), false),  // placed
          new AppliedChanges(4, Set.of("n1", "n2"), true),   // t3 exited: capacity freed
          new AppliedChanges(5, Set.of("n1", "n2"), true),   // n2 restarted
          new AppliedChanges(6, Set.of(), false)), heard);   // created only
    }
  }
}
