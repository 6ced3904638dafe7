package org.openautoglm.oag.coordinator.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.TaskStatus;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class StateStorePersistenceTest {

  @TempDir Path dir;

  /** Some history: tasks in several states, a remembered request, a rejection. */
  private static List<CommandBatch> history() {
    List<CommandBatch> entries = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      entries.add(Fixtures.batch(submit(1, 1_000 + i, "job-" + i), submit(header(1, 1_000 + i), spec("c-" + i), false)));
    }
    entries.add(Fixtures.batch(update(1, 2_000, "t1", Action.STOP), update(1, 2_000, "t4", Action.START)));
    entries.add(Fixtures.batch(submit(header(1, 2_100, "cli", "req-1"), spec("dedup"), true)));
    entries.add(Fixtures.batch(update(1, 2_200, "t999", Action.PAUSE)));
    return entries;
  }

  private static void feed(StateStore store, List<CommandBatch> entries, long firstIndex) throws IOException {
    long index = firstIndex;
    for (CommandBatch entry : entries) {
      store.applyBatch(1, index++, entry, entry.toByteArray());
    }
  }

  private static TaskPage everything(StateStore store) {
    return store.listTasks(TaskQuery.all(1000));
  }

  @Test
  void reopenRebuildsViewsAndMetaIdentically() throws IOException {
    Path db = dir.resolve("db");
    MetaRecord meta;
    TaskPage tasks;
    TaskPage stopped;
    try (StateStore store = Fixtures.open(db)) {
      feed(store, history(), 1);
      meta = store.meta();
      tasks = everything(store);
      stopped = store.listTasks(new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 10));
    }
    assertEquals(meta, StateStore.readMeta(db));
    try (StateStore store = Fixtures.open(db)) {
      assertEquals(meta, store.meta());
      assertEquals(tasks, everything(store));
      assertEquals(stopped, store.listTasks(new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 10)));
      assertEquals(61, store.taskCount());
      assertEquals(1, store.dedupeSize());
      // The remembered request survives the restart.
      Command retry = submit(header(1, 3_000, "cli", "req-1"), spec("dedup"), true);
      CommandBatch batch = Fixtures.batch(retry);
      assertEquals("t61", store.applyBatch(1, 100, batch, batch.toByteArray()).getResults(0).getTask().getId());
    }
  }

  @Test
  void replayAfterRestartSkipsWhatWasAppliedAndEndsWhereAnUninterruptedStoreDoes() throws IOException {
    List<CommandBatch> entries = history();
    MetaRecord uninterrupted;
    try (StateStore reference = Fixtures.open(dir.resolve("reference"))) {
      feed(reference, entries, 1);
      uninterrupted = reference.meta();
    }
    Path db = dir.resolve("db");
    try (StateStore store = Fixtures.open(db)) {
      feed(store, entries.subList(0, 20), 1);
      assertEquals(20, store.flush().getAppliedIndex());
    }
    try (StateStore store = Fixtures.open(db)) {
      // Raft replays from an older snapshot index: entries 1..20 must be no-ops.
      for (int i = 0; i < 20; i++) {
        assertNull(store.applyBatch(1, i + 1, entries.get(i), entries.get(i).toByteArray()));
      }
      feed(store, entries.subList(20, entries.size()), 21);
      assertEquals(uninterrupted, store.meta());
    }
  }

  @Test
  void checkpointOpensAsAStoreWithTheSameTasksAndDigest() throws IOException {
    Path checkpoint = dir.resolve("snapshots").resolve("cp-1");
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      feed(store, history(), 1);
      MetaRecord contained = store.checkpoint(checkpoint);
      assertEquals(store.meta(), contained);
      assertEquals(contained, StateStore.readMeta(checkpoint));
      TaskPage tasks = everything(store);

      // The source moves on; the checkpoint does not.
      CommandBatch more = Fixtures.batch(submit(1, 9_000, "later"));
      store.applyBatch(1, 200, more, more.toByteArray());
      assertNotEquals(contained, store.meta());

      try (StateStore restored = Fixtures.open(checkpoint)) {
        assertEquals(contained, restored.meta());
        assertEquals(tasks, everything(restored));
        assertEquals(store.dedupeSize(), restored.dedupeSize());
        // Fed the same next entry, the restored copy reaches the same digest.
        restored.applyBatch(1, 200, more, more.toByteArray());
        assertEquals(store.meta(), restored.meta());
      }
    }
  }

  @Test
  void checkpointRefusesAnExistingTarget() throws IOException {
    Path target = Files.createDirectories(dir.resolve("taken"));
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      assertThrows(FileAlreadyExistsException.class, () -> store.checkpoint(target));
    }
  }

  @Test
  void readMetaOfAnEmptyStoreIsTheDefaultAndOfNothingAnError() throws IOException {
    Path db = dir.resolve("db");
    Fixtures.open(db).close();
    assertEquals(MetaRecord.getDefaultInstance(), StateStore.readMeta(db));
    assertThrows(IOException.class, () -> StateStore.readMeta(dir.resolve("missing")));
    Path notADb = Files.createDirectories(dir.resolve("empty"));
    assertThrows(IOException.class, () -> StateStore.readMeta(notADb));
  }

  @Test
  void reopeningManyTimesReleasesTheDatabase() throws IOException {
    Path db = dir.resolve("db");
    for (int i = 1; i <= 25; i++) {
      try (StateStore store = Fixtures.open(db)) {
        assertEquals(i - 1, store.taskCount());
        CommandBatch batch = Fixtures.batch(submit(1, i, "n" + i));
        store.applyBatch(1, i, batch, batch.toByteArray());
      }
    }
    assertEquals(25, StateStore.readMeta(db).getAppliedIndex());
  }

  @Test
  void opensADatabaseWithAColumnFamilyFromANewerBuild() throws Exception {
    Path db = dir.resolve("db");
    Fixtures.open(db).close();
    // A newer build added a family; this build must still open the database.
    List<ColumnFamilyDescriptor> existing = new ArrayList<>();
    for (String name : List.of("default", "tasks", "dedupe", "meta", "nodes", "jobs", "events")) {
      existing.add(new ColumnFamilyDescriptor(name.getBytes(UTF_8)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB raw = RocksDB.open(options, db.toString(), existing, handles)) {
      handles.add(raw.createColumnFamily(new ColumnFamilyDescriptor("allocations".getBytes(UTF_8))));
      handles.forEach(ColumnFamilyHandle::close);
    }
    try (StateStore store = Fixtures.open(db)) {
      assertEquals(0, store.taskCount());
    }
    assertEquals(MetaRecord.getDefaultInstance(), StateStore.readMeta(db));
  }
}
