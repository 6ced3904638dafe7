package org.openautoglm.oag.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

  private static final long MS = 1_000_000L;

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(5_000 * MS);

  @Test
  void timesAreNanosSinceTheHistoryStarted() {
    History h = History.inMemory(clock::get);
    clock.addAndGet(250 * MS);
    Op op = h.invoke(0, "submit", "r1");

    assertThat(op.time()).isEqualTo(250 * MS);
    assertThat(h.now()).isEqualTo(250 * MS);
    assertThat(h.ops()).containsExactly(op);
  }

  @Test
  void eachOpIsOneJsonLineWithLowercaseTypeAndNoNulls() throws IOException {
    Path file = dir.resolve("sub/history.jsonl");
    try (History h = History.create(file, clock::get)) {
      h.invoke(0, "submit", "r1");
      clock.addAndGet(MS);
      h.ok(0, "submit", "r1", "t1");
      h.nemesis("kill-leader", "c2", Op.INJECT);
    }

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "{\"time\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"submit\",\"key\":\"r1\"}",
            "{\"time\":1000000,\"process\":0,\"type\":\"ok\",\"f\":\"submit\",\"key\":\"r1\","
                + "\"value\":\"t1\"}",
            "{\"time\":1000000,\"process\":-1,\"type\":\"info\",\"f\":\"kill-leader\","
                + "\"key\":\"c2\",\"value\":\"inject\"}");
  }

  @Test
  void readGivesBackWhatWasRecorded() throws IOException {
    Path file = dir.resolve("history.jsonl");
    List<Op> recorded;
    try (History h = History.create(file, clock::get)) {
      recordEveryKind(h);
      recorded = h.ops();
      // Flushed per line: a reader sees everything before close.
      assertThat(History.read(file)).isEqualTo(recorded);
    }

    assertThat(History.read(file)).isEqualTo(recorded);
    assertThat(Files.readAllLines(file)).hasSize(recorded.size());
  }

  @Test
  void aLastLineCutShortIsLeftOutButABadLineInTheMiddleIsAnError() throws IOException {
    Path file = dir.resolve("history.jsonl");
    List<Op> recorded;
    try (History h = History.create(file, clock::get)) {
      recordEveryKind(h);
      recorded = h.ops();
    }
    Files.writeString(file, "{\"time\":9,\"proc", StandardOpenOption.APPEND);
    assertThat(History.read(file)).isEqualTo(recorded);

    String complete = "{\"time\":10,\"process\":0,\"type\":\"fail\",\"f\":\"submit\"}";
    Files.writeString(file, "\n" + complete + "\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> History.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line " + (recorded.size() + 1));
  }

  @Test
  void misuseIsRefused() {
    History h = History.inMemory(clock::get);
    assertThatThrownBy(() -> h.invoke(Op.NEMESIS, "submit", "r1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.nemesis("pause", "c1", "start"))
        .isInstanceOf(IllegalArgumentException.class);
    h.close();
    assertThatThrownBy(() -> h.invoke(0, "submit", "r1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentRecordersLoseNothingAndTimesNeverGoBack() throws Exception {
    Path file = dir.resolve("history.jsonl");
    int threads = 8;
    int perThread = 500;
    List<Op> ops;
    try (History h = History.create(file, System::nanoTime)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int process = p;
        Thread t = new Thread(() -> {
          awaitQuietly(go);
          for (int i = 0; i < perThread / 2; i++) {
            String id = "w" + process + "-" + i;
            h.invoke(process, "submit", id);
            h.ok(process, "submit", id, "t" + id);
          }
        });
        t.start();
        workers.add(t);
      }
      go.countDown();
      for (Thread t : workers) {
        t.join();
      }
      ops = h.ops();
    }

    assertThat(ops).hasSize(threads * perThread);
    assertThat(Files.readAllLines(file)).hasSize(threads * perThread);
    assertThat(History.read(file)).isEqualTo(ops);
    for (int i = 1; i < ops.size(); i++) {
      assertThat(ops.get(i).time()).isGreaterThanOrEqualTo(ops.get(i - 1).time());
    }
  }

  private void recordEveryKind(History h) {
    h.invoke(0, "submit", "r1");
    clock.addAndGet(3 * MS);
    h.invoke(1, "submit", "r2");
    h.nemesis("partition", "c1|c2,c3", Op.INJECT);
    clock.addAndGet(7 * MS);
    h.info(0, "submit", "r1", "deadline exceeded");
    h.fail(1, "submit", "r2", "invalid \"argument\"\nline two");
    h.invoke(0, "submit", "r1");
    h.nemesis("partition", "c1|c2,c3", Op.HEAL);
    clock.addAndGet(MS);
    h.ok(0, "submit", "r1", "t1");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
