package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.TaskRecord;

/** The wait queue the scheduler reads: PENDING tasks, higher priority first, then first come. */
class WaitQueueTest {
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

  private String submitted(String name, int priority) throws IOException {
    return feed.one(1, submit(header(1, 1_000), spec(name).toBuilder().setPriority(priority).build(), true))
        .getTask().getId();
  }

  private static List<String> names(List<TaskRecord> tasks) {
    return tasks.stream().map(t -> t.getSpec().getName()).toList();
  }

  @Test
  void higherPriorityFirstThenFirstComeAndPagesFollowOn() throws IOException {
    submitted("low-1", 0);
    submitted("high-1", 5);
    submitted("low-2", 0);
    submitted("high-2", 5);
    submitted("urgent", 9);

    List<TaskRecord> first = store.pendingTasks(null, 2);
    List<TaskRecord> rest = store.pendingTasks(first.get(1), 10);

    assertEquals(List.of("urgent", "high-1", "high-2", "low-1", "low-2"), names(store.pendingTasks(10)));
    assertEquals(List.of("urgent", "high-1"), names(first));
    assertEquals(List.of("high-2", "low-1", "low-2"), names(rest));
  }

  @Test
  void aTaskLeavesTheQueueWhenItStopsAndTheQueueSurvivesARestart() throws IOException {
    String a = submitted("a", 1);
    submitted("b", 2);
    feed.one(1, update(1, 2_000, a, Action.STOP));
    store.close();
    store = Fixtures.open(dir.resolve("db"));

    assertEquals(List.of("b"), names(store.pendingTasks(10)));
  }
}
