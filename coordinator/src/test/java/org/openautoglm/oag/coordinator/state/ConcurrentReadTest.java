package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openautoglm.oag.coordinator.state.Fixtures.submit;
import static org.openautoglm.oag.coordinator.state.Fixtures.update;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** Readers page and look up tasks while the apply thread moves them between statuses. */
class ConcurrentReadTest {

  private static final int BATCHES = 150;
  private static final int PER_BATCH = 20;

  @TempDir Path dir;

  @Test
  void readersNeverSeeTornOrDuplicatedResults() throws Exception {
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    try (StateStore store = Fixtures.open(dir.resolve("db"))) {
      Thread writer = new Thread(() -> {
        try {
          Fixtures.Feeder feed = new Fixtures.Feeder(store);
          for (int b = 0; b < BATCHES; b++) {
            List<Command> commands = new ArrayList<>();
            for (int i = 0; i < PER_BATCH; i++) {
              commands.add(submit(1, b, "w" + b + "-" + i));
              if (b > 0 && i % 2 == 0) {  // stop half of the previous batch's tasks
                commands.add(update(1, b, "t" + ((b - 1) * PER_BATCH + i + 1), Action.STOP));
              }
            }
            feed.apply(1, commands.toArray(Command[]::new));
          }
        } catch (Exception e) {
          problems.add("writer: " + e);
        } finally {
          done.set(true);
        }
      });
      List<Thread> readers = List.of(
          new Thread(() -> readUntil(done, store, TaskStatus.STOPPED, problems)),
          new Thread(() -> readUntil(done, store, TaskStatus.PENDING, problems)));
      writer.start();
      readers.forEach(Thread::start);
      writer.join();
      for (Thread reader : readers) {
        reader.join();
      }
      assertEquals(List.of(), List.copyOf(problems));
      assertEquals(BATCHES * PER_BATCH, store.taskCount());
      TaskQuery stopped = new TaskQuery(Set.of(TaskStatus.STOPPED), "", "", "", 1000);
      TaskPage first = store.listTasks(stopped);
      TaskPage second = store.listTasks(stopped.withPageToken(first.nextPageToken()));
      assertEquals((BATCHES - 1) * PER_BATCH / 2, first.tasks().size() + second.tasks().size());
      assertEquals("", second.nextPageToken());
    }
  }

  private static void readUntil(AtomicBoolean done, StateStore store, TaskStatus status, Queue<String> problems) {
    TaskQuery first = new TaskQuery(Set.of(status), "w", "", "", 37);
    do {  // at least one full pass, even if the writer is already done
      MetaRecord meta = store.meta();
      for (long seq = 1; seq < meta.getNextTaskSeq(); seq += 17) {
        if (store.task("t" + seq).isEmpty()) {
          problems.add("meta says t" + seq + " exists at index " + meta.getAppliedIndex() + " but it is not visible");
        }
      }
      long last = 0;
      TaskQuery query = first;
      while (true) {
        TaskPage page = store.listTasks(query);
        for (TaskRecord t : page.tasks()) {
          long seq = Keys.seqOfTaskId(t.getId());
          if (t.getStatus() != status || seq <= last) {
            problems.add("listing " + status + " returned " + t.getId() + " " + t.getStatus() + " after t" + last);
          }
          last = seq;
        }
        if (page.isLast()) {
          break;
        }
        query = query.withPageToken(page.nextPageToken());
      }
    } while (!done.get() && problems.isEmpty());
  }
}
