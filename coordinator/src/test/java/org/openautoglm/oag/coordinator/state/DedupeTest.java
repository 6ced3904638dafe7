package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;

class DedupeTest {

  private static final long HOUR = Duration.ofHours(1).toMillis();

  @TempDir Path dir;
  private StateStore store;
  private Fixtures.Feeder feed;

  @BeforeEach
  void open() throws IOException {
    store = StateStore.open(dir.resolve("db"), Fixtures.SMALL.withDedupeTtl(Duration.ofHours(1)));
    feed = new Fixtures.Feeder(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Command submitAs(long term, long timeMs, String requestId, String name) {
    return submit(header(term, timeMs, "client-a", requestId), spec(name), true);
  }

  @Test
  void retryWithTheSamePayloadReturnsTheOriginalResultAndCreatesNothing() throws IOException {
    CommandResult first = feed.one(1, submitAs(1, 1_000, "r1", "a"));
    // A retry after a leader change: new term, later time, same request.
    CommandResult retry = feed.one(2, submitAs(2, 5_000, "r1", "a"));

    assertEquals(first, retry);
    assertEquals("t1", retry.getTask().getId());
    assertEquals(1, store.taskCount());
    assertEquals(2, store.meta().getNextTaskSeq());
    assertEquals(1, store.dedupeSize());
  }

  @Test
  void retryInTheSameBatchIsDeduplicatedToo() throws IOException {
    BatchResult r = feed.apply(1, submitAs(1, 1, "r1", "a"), submitAs(1, 2, "r1", "a"));
    assertEquals(r.getResults(0), r.getResults(1));
    assertEquals(1, store.taskCount());
  }

  @Test
  void theSameIdForADifferentRequestIsRefused() throws IOException {
    feed.one(1, submitAs(1, 1_000, "r1", "a"));
    CommandResult other = feed.one(1, submitAs(1, 2_000, "r1", "b"));

    assertEquals(Code.FAILED_PRECONDITION, other.getCode());
    assertEquals("request id r1 was already used for a different request", other.getMessage());
    assertEquals(1, store.taskCount());
    // The original is still what a genuine retry gets.
    assertEquals("t1", feed.one(1, submitAs(1, 3_000, "r1", "a")).getTask().getId());
  }

  @Test
  void requestIdsAreScopedByClient() throws IOException {
    feed.one(1, submit(header(1, 1, "client-a", "r1"), spec("a"), true));
    CommandResult b = feed.one(1, submit(header(1, 1, "client-b", "r1"), spec("b"), true));
    assertEquals("t2", b.getTask().getId());
    assertEquals(2, store.dedupeSize());
  }

  @Test
  void rejectionsAreRememberedAsTheyWere() throws IOException {
    Command stopT1 = update(header(1, 1, "client-a", "stop-1"), "t1", Action.STOP);
    assertEquals(Code.NOT_FOUND, feed.one(1, stopT1).getCode());
    feed.one(1, submit(1, 2, "a"));  // now t1 exists

    CommandResult retry = feed.one(1, stopT1);
    assertEquals(Code.NOT_FOUND, retry.getCode(), "the original result, not a fresh apply");
    assertEquals("PENDING", store.task("t1").orElseThrow().getStatus().name());

    Command invalid = submit(header(1, 3, "client-a", "bad-1"), spec("a").toBuilder().setCommand("").build(), true);
    assertEquals(Code.INVALID_ARGUMENT, feed.one(1, invalid).getCode());
    assertEquals(Code.FAILED_PRECONDITION, feed.one(1, submitAs(1, 4, "bad-1", "fixed")).getCode());
  }

  @Test
  void staleTermResultsAreNotRemembered() throws IOException {
    assertEquals(Code.STALE_TERM, feed.one(2, submitAs(1, 1_000, "r1", "a")).getCode());
    assertEquals(0, store.dedupeSize());
    CommandResult retried = feed.one(2, submitAs(2, 2_000, "r1", "a"));
    assertEquals(Code.OK, retried.getCode());
    assertEquals("t1", retried.getTask().getId());
  }

  @Test
  void commandsWithoutClientIdAreNeverDeduplicated() throws IOException {
    feed.one(1, submit(1, 1, "a"));
    feed.one(1, submit(1, 1, "a"));
    assertEquals(2, store.taskCount());
    assertEquals(0, store.dedupeSize());
  }

  @Test
  void aMalformedKeyIsInvalidAndNotRemembered() throws IOException {
    CommandResult r = feed.one(1, submit(header(1, 1, "client-a", ""), spec("a"), true));
    assertEquals(Code.INVALID_ARGUMENT, r.getCode());
    assertEquals("meta.request_id", r.getField());
    assertEquals(0, store.dedupeSize());
  }

  @Test
  void entriesExpireOnceReplicatedTimeMovesPastTheTtl() throws IOException {
    feed.one(1, submitAs(1, 1_000, "r1", "a"));

    // Exactly one TTL old: still remembered.
    feed.apply(1, submit(1, 1_000 + HOUR, "other"));
    assertEquals(1, store.dedupeSize());
    assertEquals("t1", feed.one(1, submitAs(1, 1_000 + HOUR, "r1", "a")).getTask().getId());

    // Older than the TTL: evicted by the next entry, whatever it carries.
    feed.apply(1, update(1, 1_001 + HOUR, "t999", Action.STOP));
    assertEquals(0, store.dedupeSize());

    CommandResult fresh = feed.one(1, submitAs(1, 1_002 + HOUR, "r1", "a"));
    assertEquals("t3", fresh.getTask().getId(), "after expiry the request applies anew");
    assertEquals(1, store.dedupeSize());
  }

  @Test
  void anExpiredEntryIsNotReturnedEvenBeforeItIsEvicted() throws IOException {
    feed.one(1, submitAs(1, 1_000, "r1", "a"));
    // One entry that moves time past the TTL and retries in the same batch.
    BatchResult r = feed.apply(1, submit(1, 2_000 + HOUR, "tick"), submitAs(1, 2_000 + HOUR, "r1", "a"));
    assertEquals("t3", r.getResults(1).getTask().getId());
    assertEquals(1, store.dedupeSize(), "the old row was replaced, not kept beside the new one");
  }

  @Test
  void evictionIsDurableAndTheIndexIsRebuiltOnOpen() throws IOException {
    feed.one(1, submitAs(1, 1_000, "r1", "a"));
    feed.one(1, submitAs(1, 2_000, "r2", "b"));
    feed.apply(1, submit(1, 1_500 + HOUR, "tick"));  // evicts r1 only
    assertEquals(1, store.dedupeSize());
    store.close();

    store = StateStore.open(dir.resolve("db"), Fixtures.SMALL.withDedupeTtl(Duration.ofHours(1)));
    feed = new Fixtures.Feeder(store);
    assertEquals(1, store.dedupeSize());
    assertEquals("t2", feed.one(1, submitAs(1, 1_600 + HOUR, "r2", "b")).getTask().getId());
    feed.apply(1, submit(1, 2_001 + HOUR, "tick"));
    assertEquals(0, store.dedupeSize());
  }
}
