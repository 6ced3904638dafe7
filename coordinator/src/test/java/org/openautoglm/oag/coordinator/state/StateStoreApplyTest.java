package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

class StateStoreApplyTest {

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    feed = new Fixtures.Feeder(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A command from a newer build: its body is a field this build does not know. */
  private static Command futureCommand(long term, boolean ignorable) {
    UnknownFieldSet unknownBody = UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
        .build();
    return Command.newBuilder()
        .setHeader(header(term, 1).toBuilder().setIgnorable(ignorable))
        .setUnknownFields(unknownBody)
        .build();
  }

  @Test
  void emptyStoreHasDefaultMeta() {
    assertEquals(MetaRecord.getDefaultInstance(), store.meta());
    assertEquals(0, store.taskCount());
  }

  @Test
  void commandsOfOneBatchSeeEachOther() throws IOException {
    BatchResult r = feed.apply(1,
        submit(header(1, 100), spec("a"), false),
        update(1, 110, "t1", Action.START),
        update(1, 120, "t1", Action.STOP),
        submit(1, 130, "b"));

    assertEquals(4, r.getResultsCount());
    assertEquals(TaskStatus.CREATED, r.getResults(0).getTask().getStatus());
    assertEquals(TaskStatus.PENDING, r.getResults(1).getTask().getStatus());
    assertEquals(TaskStatus.STOPPED, r.getResults(2).getTask().getStatus());
    assertEquals("t2", r.getResults(3).getTask().getId());
    assertEquals(r.getResults(2).getTask(), store.task("t1").orElseThrow());
    assertEquals(1, store.task("t1").orElseThrow().getVersion());
    assertEquals(120, store.task("t1").orElseThrow().getFinishedAtMs());
    assertEquals(MetaRecord.newBuilder().setAppliedTerm(1).setAppliedIndex(1).setTimeMs(130).setNextTaskSeq(3)
        .setEventCount(4).setDigest(store.meta().getDigest())
        .setCluster(org.openautoglm.oag.state.v1.ClusterRecord.getDefaultInstance()).build(), store.meta());
    assertEquals(List.of("task.created", "task.pending", "task.stopped", "task.submitted"),
        store.events(0, 0, 10).stream().map(e -> e.getType()).toList());
  }

  @Test
  void staleTermCommandChangesNothingButTheEntryIsStillApplied() throws IOException {
    feed.apply(1, submit(1, 1_000, "a"));
    MetaRecord before = store.meta();

    BatchResult r = feed.apply(2, submit(header(1, 99_000), spec("b"), true), update(1, 99_000, "t1", Action.STOP));

    assertEquals(Code.STALE_TERM, r.getResults(0).getCode());
    assertEquals(Code.STALE_TERM, r.getResults(1).getCode());
    assertEquals("proposed in term 1 but logged in term 2", r.getResults(0).getMessage());
    assertEquals(1_000, store.meta().getTimeMs(), "a stale command does not move time");
    assertEquals(before.getNextTaskSeq(), store.meta().getNextTaskSeq());
    assertEquals(TaskStatus.PENDING, store.task("t1").orElseThrow().getStatus());
    assertEquals(2, store.meta().getAppliedIndex());
    assertEquals(2, store.meta().getAppliedTerm());
    assertNotEquals(before.getDigest(), store.meta().getDigest());
  }

  @Test
  void replicatedTimeNeverRunsBackwardsAcrossATermChange() throws IOException {
    feed.apply(1, submit(1, 10_000, "a"));
    // The new leader's clock is behind the old one's.
    CommandResult second = feed.one(2, submit(2, 5_000, "b"));
    assertEquals(10_000, second.getTask().getCreatedAtMs());
    assertEquals(10_000, store.meta().getTimeMs());

    CommandResult third = feed.one(2, submit(2, 12_000, "c"));
    assertEquals(12_000, third.getTask().getCreatedAtMs());
    assertEquals(12_000, store.meta().getTimeMs());
  }

  @Test
  void timeAdvancesPerCommandWithinABatch() throws IOException {
    BatchResult r = feed.apply(1, submit(1, 300, "a"), submit(1, 200, "b"), submit(1, 400, "c"));
    assertEquals(List.of(300L, 300L, 400L),
        r.getResultsList().stream().map(x -> x.getTask().getCreatedAtMs()).toList());
  }

  @Test
  void entriesAtOrBelowTheAppliedIndexAreSkipped() throws IOException {
    CommandBatch batch = Fixtures.batch(submit(1, 1, "a"));
    assertEquals(Code.OK, store.applyBatch(1, 5, batch, batch.toByteArray()).getResults(0).getCode());
    MetaRecord applied = store.meta();

    assertNull(store.applyBatch(1, 5, batch, batch.toByteArray()));
    assertNull(store.applyBatch(1, 3, batch, batch.toByteArray()));

    assertEquals(applied, store.meta());
    assertEquals(1, store.taskCount());
  }

  @Test
  void indexesMayHaveGaps() throws IOException {
    CommandBatch batch = Fixtures.batch(submit(1, 1, "a"));
    store.applyBatch(1, 2, batch, batch.toByteArray());
    store.applyBatch(1, 9, batch, batch.toByteArray());
    assertEquals(9, store.meta().getAppliedIndex());
    assertEquals(2, store.taskCount());
  }

  @Test
  void aTermBelowTheAppliedTermIsACallerBug() throws IOException {
    feed.apply(3, submit(3, 1, "a"));
    CommandBatch batch = Fixtures.batch();
    assertThrows(IllegalArgumentException.class, () -> store.applyBatch(2, 9, batch, batch.toByteArray()));
    assertEquals(1, store.meta().getAppliedIndex());
  }

  @Test
  void emptyBatchAdvancesIndexAndDigestOnly() throws IOException {
    feed.apply(1, submit(1, 50, "a"));
    MetaRecord before = store.meta();
    feed.apply(1);
    assertEquals(2, store.meta().getAppliedIndex());
    assertEquals(50, store.meta().getTimeMs());
    assertEquals(Records.nextDigest(before.getDigest(), 2, new byte[0]), store.meta().getDigest());
  }

  @Test
  void digestCoversTheEntryBytesAsLogged() throws IOException {
    CommandBatch batch = Fixtures.batch(submit(1, 1, "a"));
    byte[] logged = batch.toByteArray();
    store.applyBatch(1, 1, batch, logged);
    assertEquals(Records.nextDigest(ByteString.EMPTY, 1, logged), store.meta().getDigest());
  }

  @Test
  void invalidCommandIsRejectedInApplyAndChangesNothing() throws IOException {
    feed.apply(1, submit(1, 1, "a"));
    BatchResult r = feed.apply(1,
        submit(header(1, 2), spec("a").toBuilder().setGpus(65).build(), true),
        update(1, 3, "nope", Action.STOP));

    assertEquals(Code.INVALID_ARGUMENT, r.getResults(0).getCode());
    assertEquals("spec.resources.gpus", r.getResults(0).getField());
    assertEquals("spec.resources.gpus: 65 is outside 0..64", r.getResults(0).getMessage());
    assertEquals("task_id", r.getResults(1).getField());
    assertEquals(1, store.taskCount());
    assertEquals(2, store.meta().getNextTaskSeq());
  }

  @Test
  void unknownBodyStopsTheNodeAndChangesNothing() throws IOException {
    feed.apply(1, submit(1, 1, "a"));
    MetaRecord before = store.meta();
    CommandBatch batch = Fixtures.batch(submit(1, 5, "b"), futureCommand(1, false));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store.applyBatch(1, 2, batch, batch.toByteArray()));

    assertTrue(e.getMessage().contains("BODY_NOT_SET"), e.getMessage());
    assertEquals(before, store.meta());
    assertEquals(1, store.taskCount(), "the submit before it in the batch is not applied either");
  }

  @Test
  void ignorableUnknownBodyIsSkipped() throws IOException {
    BatchResult r = feed.apply(1, futureCommand(1, true), submit(1, 5, "b"));
    assertEquals(Code.OK, r.getResults(0).getCode());
    assertEquals("ignored", r.getResults(0).getMessage());
    assertEquals("t1", r.getResults(1).getTask().getId());
  }

  @Test
  void newerCommandVersionStopsTheNodeUnlessIgnorable() throws IOException {
    Command v2 = submit(header(1, 1).toBuilder().setVersion(2).build(), spec("a"), true);
    CommandBatch batch = Fixtures.batch(v2);
    assertThrows(IllegalStateException.class, () -> store.applyBatch(1, 1, batch, batch.toByteArray()));
    assertEquals(0, store.meta().getAppliedIndex());

    Command ignorable = submit(header(1, 1).toBuilder().setVersion(2).setIgnorable(true).build(), spec("a"), true);
    assertEquals("ignored", feed.one(1, ignorable).getMessage());
    assertEquals(0, store.taskCount());

    Command v0 = submit(header(1, 1).toBuilder().setVersion(0).build(), spec("a"), true);
    assertEquals(Code.OK, feed.one(1, v0).getCode(), "an unset version reads as 1");
  }

  @Test
  void staleTermIsCheckedBeforeTheBodyIsUnderstood() throws IOException {
    assertEquals(Code.STALE_TERM, feed.one(2, futureCommand(1, false)).getCode());
  }

  @Test
  void twoStoresFedTheSameEntriesAgree(@TempDir Path other) throws IOException {
    try (StateStore twin = Fixtures.open(other.resolve("twin"))) {
      Fixtures.Feeder twinFeed = new Fixtures.Feeder(twin);
      List<Command[]> entries = List.of(
          new Command[] {submit(1, 100, "a"), submit(header(1, 101, "c", "r1"), spec("b"), false)},
          new Command[] {update(1, 150, "t2", Action.START), update(1, 151, "t9", Action.STOP)},
          new Command[] {submit(header(1, 160), spec("x").toBuilder().setCommand("").build(), true)},
          new Command[] {submit(header(2, 170, "c", "r1"), spec("b"), false), update(2, 171, "t1", Action.STOP)},
          new Command[] {});
      for (Command[] entry : entries) {
        long term = entry.length == 0 ? 2 : entry[0].getHeader().getTerm();
        assertEquals(feed.apply(term, entry), twinFeed.apply(term, entry));
      }
      assertEquals(store.meta(), twin.meta());
      assertEquals(32, store.meta().getDigest().size());
      assertEquals(store.listTasks(TaskQuery.all(1000)), twin.listTasks(TaskQuery.all(1000)));
      for (var task : store.listTasks(TaskQuery.all(1000)).tasks()) {
        assertArrayEquals(Records.toBytes(task), Records.toBytes(twin.task(task.getId()).orElseThrow()));
      }

      // A different entry at the same index gives a different digest.
      feed.apply(2, submit(2, 200, "left"));
      twinFeed.apply(2, submit(2, 200, "right"));
      assertNotEquals(store.meta().getDigest(), twin.meta().getDigest());
    }
  }

  @Test
  void closedStoreRefusesWritesAndReadsWithARetryableError() throws IOException {
    feed.apply(1, submit(1, 1, "a"));
    store.close();
    store.close();  // idempotent
    CommandBatch batch = Fixtures.batch();
    assertThrows(IllegalStateException.class, () -> store.applyBatch(1, 2, batch, batch.toByteArray()));
    assertThrows(IllegalStateException.class, store::flush);
    assertEquals(1, store.taskCount());
    // Records are read from RocksDB: a read racing a checkpoint swap is told to retry.
    assertThrows(CoordinatorException.Overloaded.class, () -> store.task("t1"));
  }

  @Test
  void lookupOfMalformedIdIsEmpty() {
    assertTrue(store.task("bogus").isEmpty());
    assertTrue(store.task("t1").isEmpty());
  }
}
