package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.state.v1.EventRecord;

/** The event log: keys in (index, position) order, reads strictly after a cursor, retention by count. */
class EventRetentionTest {

  @TempDir Path dir;

  private static List<String> keys(List<EventRecord> events) {
    return events.stream().map(e -> e.getIndex() + "/" + e.getPosition()).toList();
  }

  private static List<String> all(StateStore store) {
    return keys(store.events(0, 0, 1_000));
  }

  @Test
  void readsResumeStrictlyAfterTheCursor() throws IOException {
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1, "a"), submit(1, 2, "b"), submit(1, 3, "c"));
      feed.apply(1, submit(1, 4, "d"));
      feed.apply(1);  // an entry without events
      feed.apply(1, submit(1, 5, "e"), submit(1, 6, "f"));

      assertEquals(List.of("1/0", "1/1", "1/2", "2/0", "4/0", "4/1"), all(store));
      assertEquals(List.of("1/2", "2/0"), keys(store.events(1, 1, 2)));
      assertEquals(List.of("2/0", "4/0", "4/1"), keys(store.events(1, -1, 10)), "-1: after all of index 1");
      assertEquals(List.of("4/0", "4/1"), keys(store.events(3, -1, 10)));
      assertEquals(List.of(), keys(store.events(4, 1, 10)));
      assertEquals(List.of(), keys(store.events(0, 0, 0)));
      EventRecord e = store.events(3, -1, 1).get(0);
      assertEquals("task.submitted", e.getType());
      assertEquals("t5", e.getTaskId());
      assertEquals(5, e.getTimeMs());
    }
  }

  @Test
  void theOldestBeyondTheRetentionArePurgedInTheSameBatch() throws IOException {
    Path db = dir.resolve("db");
    StoreSettings five = Fixtures.SMALL.withEventRetention(5);
    try (StateStore store = StateStore.open(db, five)) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1, "a"), submit(1, 1, "b"), submit(1, 1, "c"));
      feed.apply(1, submit(1, 1, "d"), submit(1, 1, "e"));
      assertEquals(5, store.meta().getEventCount());

      feed.apply(1, submit(1, 1, "f"), submit(1, 1, "g"));  // cuts into entry 1
      assertEquals(List.of("1/2", "2/0", "2/1", "3/0", "3/1"), all(store));
      assertEquals(5, store.meta().getEventCount());
      assertEquals(List.of("1/2", "2/0"), keys(store.events(0, 0, 2)), "a cursor before the head starts at it");
    }
    try (StateStore store = StateStore.open(db, five)) {
      assertEquals(5, store.meta().getEventCount(), "the count and the head survive a reopen");
      assertEquals(List.of("1/2", "2/0", "2/1", "3/0", "3/1"), all(store));
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1, "h"), submit(1, 1, "i"), submit(1, 1, "j"));
      assertEquals(List.of("3/0", "3/1", "4/0", "4/1", "4/2"), all(store));
    }
  }

  @Test
  void aBatchWithMoreEventsThanTheRetentionKeepsItsNewest() throws IOException {
    try (StateStore store = StateStore.open(dir.resolve("db"), Fixtures.SMALL.withEventRetention(2))) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1, "a"));
      feed.apply(1, submit(1, 1, "b"), submit(1, 1, "c"), submit(1, 1, "d"));
      assertEquals(List.of("2/1", "2/2"), all(store));
      assertEquals(2, store.meta().getEventCount());
      assertEquals(4, store.taskCount(), "the tasks themselves are kept");
    }
  }

  @Test
  void retentionZeroKeepsNone() throws IOException {
    Path db = dir.resolve("db");
    try (StateStore store = StateStore.open(db, Fixtures.SMALL.withEventRetention(0))) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      feed.apply(1, submit(1, 1, "a"));
      assertTrue(all(store).isEmpty());
      assertEquals(0, store.meta().getEventCount());
    }
    try (StateStore store = Fixtures.open(db)) {  // retention raised again: new events are kept
      new Fixtures.Feeder(store).apply(1, submit(1, 1, "b"));
      assertEquals(List.of("2/0"), all(store));
    }
  }

  @Test
  void lowerRetentionOnReopenPurgesOnTheNextBatch() throws IOException {
    Path db = dir.resolve("db");
    try (StateStore store = Fixtures.open(db)) {
      Fixtures.Feeder feed = new Fixtures.Feeder(store);
      for (int i = 0; i < 10; i++) {
        feed.apply(1, submit(1, 1, "x" + i));
      }
    }
    try (StateStore store = StateStore.open(db, Fixtures.SMALL.withEventRetention(3))) {
      assertEquals(10, store.meta().getEventCount());
      new Fixtures.Feeder(store).apply(1, submit(1, 1, "y"));
      assertEquals(List.of("9/0", "10/0", "11/0"), all(store));
    }
  }
}
