package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openautoglm.oag.coordinator.state.Fixtures.header;
import static org.openautoglm.oag.coordinator.state.Fixtures.spec;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** Paging over 2,500 tasks in CREATED, PENDING and STOPPED, with every kind of filter. */
class TaskListingTest {

  private static final int TASKS = 2_500;

  @TempDir static Path dir;
  private static StateStore store;

  @BeforeAll
  static void fill() throws IOException {
    store = Fixtures.open(dir.resolve("db"));
    Fixtures.Feeder feed = new Fixtures.Feeder(store);
    List<Command> batch = new ArrayList<>();
    for (int i = 1; i <= TASKS; i++) {
      String name = (i % 3 == 0 ? "web-" : "batch-") + i;
      batch.add(submit(header(1, i), spec(name), i % 5 != 0));  // every 5th stays CREATED
      if (i % 7 == 0) {
        batch.add(update(1, i, "t" + i, Action.STOP));
      }
      if (batch.size() >= 250) {
        feed.apply(1, batch.toArray(Command[]::new));
        batch.clear();
      }
    }
    feed.apply(1, batch.toArray(Command[]::new));
    assertEquals(TASKS, store.taskCount());
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /** Follows next-page tokens to the end, checking each page's bound. */
  private static List<TaskRecord> allPages(TaskQuery first) {
    List<TaskRecord> seen = new ArrayList<>();
    TaskQuery query = first;
    for (int pages = 0; ; pages++) {
      assertTrue(pages <= TASKS + 1, "paging must terminate");
      TaskPage page = store.listTasks(query);
      assertTrue(page.tasks().size() <= query.effectivePageSize());
      seen.addAll(page.tasks());
      if (page.isLast()) {
        return seen;
      }
      assertEquals(query.effectivePageSize(), page.tasks().size(), "only the last page may be short");
      query = query.withPageToken(page.nextPageToken());
    }
  }

  private static List<String> expected(Predicate<TaskRecord> filter) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= TASKS; i++) {
      TaskRecord t = store.task("t" + i).orElseThrow();
      if (filter.test(t)) {
        ids.add(t.getId());
      }
    }
    return ids;
  }

  private static List<String> ids(List<TaskRecord> tasks) {
    return tasks.stream().map(TaskRecord::getId).toList();
  }

  @ParameterizedTest(name = "page size {0}")
  @ValueSource(ints = {1, 7, 100, 999, 1000})
  void everyFilterReturnsEachMatchExactlyOnceInCreationOrder(int pageSize) {
    Set<TaskStatus> stopped = Set.of(TaskStatus.STOPPED);
    Set<TaskStatus> notRunning = EnumSet.of(TaskStatus.CREATED, TaskStatus.STOPPED);

    assertEquals(expected(t -> true), ids(allPages(TaskQuery.all(pageSize))));
    assertEquals(expected(t -> t.getStatus() == TaskStatus.STOPPED),
        ids(allPages(new TaskQuery(stopped, "", "", "", pageSize))));
    assertEquals(expected(t -> t.getSpec().getName().startsWith("web-")),
        ids(allPages(new TaskQuery(Set.of(), "web-", "", "", pageSize))));
    assertEquals(expected(t -> notRunning.contains(t.getStatus()) && t.getSpec().getName().startsWith("web-1")),
        ids(allPages(new TaskQuery(notRunning, "web-1", "", "", pageSize))));
    assertEquals(List.of(), ids(allPages(new TaskQuery(Set.of(), "", "node-9", "", pageSize))));
  }

  @Test
  void theExpectedCountsAreWhatTheFixtureMeans() {
    assertEquals(357, expected(t -> t.getStatus() == TaskStatus.STOPPED).size());  // 2500 / 7
    assertEquals(500 - 71, expected(t -> t.getStatus() == TaskStatus.CREATED).size());  // 5s, not 35s
    assertEquals(833, expected(t -> t.getSpec().getName().startsWith("web-")).size());
  }

  @Test
  void pageSizeIsClampedAndZeroMeansTheDefault() {
    assertEquals(100, store.listTasks(TaskQuery.all(0)).tasks().size());
    assertEquals(1000, store.listTasks(TaskQuery.all(5_000)).tasks().size());
    assertEquals(1, store.listTasks(TaskQuery.all(-3)).tasks().size());
  }

  @Test
  void theLastPageHasNoToken() {
    TaskPage stoppedAtOnce = store.listTasks(new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 1000));
    assertEquals(357, stoppedAtOnce.tasks().size());
    assertEquals("", stoppedAtOnce.nextPageToken());
    TaskPage exact = store.listTasks(new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 357));
    assertEquals("", exact.nextPageToken(), "no further match means no token, even on a full page");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.5", " 12", "t12", "1234567890123456789"})
  void malformedTokensAreRejectedNamingTheField(String token) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.listTasks(TaskQuery.all(10).withPageToken(token)));
    assertTrue(e.getMessage().startsWith("page_token: "), e.getMessage());
  }

  @Test
  void aTokenPastTheEndGivesAnEmptyLastPage() {
    TaskPage page = store.listTasks(TaskQuery.all(10).withPageToken("999999"));
    assertEquals(List.of(), page.tasks());
    assertTrue(page.isLast());
  }
}
