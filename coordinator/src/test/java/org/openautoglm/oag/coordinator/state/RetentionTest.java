package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.TaskStatus;

class RetentionTest {

  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final StoreSettings ONE_HOUR = Fixtures.SMALL.withTerminalTaskRetention(Duration.ofHours(1));

  @TempDir Path dir;

  @Test
  void finishedTasksArePurgedOnceOlderThanTheRetention() throws IOException {
    Path db = dir.resolve("db");
    try (StateStore store = StateStore.open(db, ONE_HOUR)) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1_000, "a"), submit(1, 1_000, "b"), submit(1, 1_000, "c"));
      feed.apply(1, update(1, 2_000, "t1", Action.STOP));
      feed.apply(1, update(1, 3_000, "t3", Action.STOP));

      feed.apply(1, submit(1, 2_000 + HOUR, "tick"));  // t1 is exactly one retention old: kept
      assertEquals(4, store.taskCount());

      feed.apply(1, submit(1, 2_001 + HOUR, "tick"));  // now older: purged, t3 not yet
      assertTrue(store.task("t1").isEmpty());
      assertTrue(store.task("t3").isPresent());
      assertEquals(Set.of("t2", "t3", "t4", "t5"),
          Set.copyOf(store.listTasks(TaskQuery.all(100)).tasks().stream().map(t -> t.getId()).toList()));
      assertEquals(1, store.listTasks(new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 100)).tasks().size());
      assertEquals(Code.NOT_FOUND, feed.one(1, update(1, 2_002 + HOUR, "t1", Action.STOP)).getCode());
    }
    try (StateStore store = StateStore.open(db, ONE_HOUR)) {
      assertTrue(store.task("t1").isEmpty(), "the purge is durable");
      assertEquals(4, store.taskCount());
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 10 * HOUR, "tick"));  // the rebuilt retention index purges t3
      assertTrue(store.task("t3").isEmpty());
      assertEquals(Set.of("t2", "t4", "t5", "t6"),
          Set.copyOf(store.listTasks(TaskQuery.all(100)).tasks().stream().map(t -> t.getId()).toList()));
    }
  }

  @Test
  void unfinishedTasksAreKeptForever() throws IOException {
    try (StateStore store = StateStore.open(dir.resolve("db"), ONE_HOUR)) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1_000, "a"));
      feed.apply(1, submit(1, 1_000 + 100 * HOUR, "b"));
      assertEquals(2, store.taskCount());
    }
  }

  @Test
  void aTaskStoppedAndOutlivedWithinOneBatchIsPurgedWithIt() throws IOException {
    try (StateStore store = StateStore.open(dir.resolve("db"), ONE_HOUR)) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1_000, "a"), update(1, 1_000, "t1", Action.STOP), submit(1, 5 * HOUR, "b"));
      assertTrue(store.task("t1").isEmpty());
      assertEquals(1, store.taskCount());
    }
  }
}
