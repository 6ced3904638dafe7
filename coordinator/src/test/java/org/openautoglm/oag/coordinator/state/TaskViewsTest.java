package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** The indexes by status, node and finish time, and listing through them. */
class TaskViewsTest {

  private final Fixtures.MemoryTasks stored = new Fixtures.MemoryTasks();
  private final TaskViews views = stored.views;

  private void put(long seq, TaskStatus status, String node) {
    TaskRecord t = Fixtures.task(seq, status, node);
    if (TaskStates.isTerminal(status)) {
      t = t.toBuilder().setFinishedAtMs(seq * 10).build();
    }
    stored.put(seq, t);
  }

  private List<Long> finished() {
    List<Long> seqs = new ArrayList<>();
    views.finishedOldestFirst().forEachRemaining(f -> seqs.add(f.seq()));
    return seqs;
  }

  private List<String> list(Set<TaskStatus> statuses, String node, int pageSize) {
    List<String> ids = new ArrayList<>();
    TaskQuery q = new TaskQuery(statuses, "", node, "", pageSize);
    while (true) {
      TaskPage page = TaskLister.list(views, q);
      page.tasks().forEach(t -> ids.add(t.getId()));
      if (page.isLast()) {
        return ids;
      }
      q = q.withPageToken(page.nextPageToken());
    }
  }

  @Test
  void indexesFollowEveryChange() {
    put(1, TaskStatus.RUNNING, "n1");
    put(2, TaskStatus.RUNNING, "n2");
    put(3, TaskStatus.SCHEDULED, "n1");
    put(4, TaskStatus.PENDING, "");
    assertEquals(List.of(1L, 3L), List.copyOf(views.onNode("n1")));
    assertEquals(List.of(1L, 2L), List.copyOf(views.withStatus(TaskStatus.RUNNING)));

    put(1, TaskStatus.LOST, "n2");  // moved: status and node change together
    assertEquals(List.of(3L), List.copyOf(views.onNode("n1")));
    assertEquals(List.of(1L, 2L), List.copyOf(views.onNode("n2")));
    assertEquals(List.of(2L), List.copyOf(views.withStatus(TaskStatus.RUNNING)));
    assertEquals(List.of(1L), List.copyOf(views.withStatus(TaskStatus.LOST)));

    put(3, TaskStatus.FAILED, "n1");
    put(2, TaskStatus.SUCCEEDED, "n2");
    assertEquals(List.of(2L, 3L), finished());
    stored.remove(3);
    assertEquals(List.of(), List.copyOf(views.onNode("n1")));
    assertEquals(List.of(2L), finished());
    assertNull(views.get(3));
    assertEquals(3, views.count());

    stored.put(2, views.get(2).toBuilder().setMessage("same finish time").build());
    assertEquals(List.of(2L), finished(), "rewriting a finished task keeps its retention entry");
  }

  @Test
  void nodeFilterUsesTheNodeIndexAndCombinesWithStatus() {
    for (long seq = 1; seq <= 300; seq++) {
      TaskStatus status = seq % 2 == 0 ? TaskStatus.RUNNING : TaskStatus.PAUSED;
      put(seq, status, "n" + (seq % 3));
    }
    List<String> onN1 = list(Set.of(), "n1", 7);
    assertEquals(100, onN1.size());
    assertEquals("t1", onN1.get(0));
    assertEquals("t298", onN1.get(99));
    List<String> runningOnN1 = list(Set.of(TaskStatus.RUNNING), "n1", 9);
    assertEquals(50, runningOnN1.size());
    assertEquals("t4", runningOnN1.get(0));
    assertEquals(150, list(Set.of(TaskStatus.PAUSED), "", 1000).size());
    assertEquals(300, list(Set.of(TaskStatus.PAUSED, TaskStatus.RUNNING), "", 11).size());
  }
}
