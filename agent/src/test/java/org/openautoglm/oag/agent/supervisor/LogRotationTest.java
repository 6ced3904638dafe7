package org.openautoglm.oag.agent.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.supervisor.RestartPolicy.Mode;

class LogRotationTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private AllocationSupervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Duration.ZERO);
      supervisor.step(clock.get());
    }
  }

  @Test
  void shiftsCopiesUpToKeepAndTruncatesTheLiveFile() throws IOException {
    Path live = data.resolve("stdout.log");
    LogRotation rotation = new LogRotation(4, 2, Duration.ofSeconds(1));

    Files.writeString(live, "abc");
    assertThat(rotation.rotateIfNeeded(live)).isFalse();
    Files.writeString(live, "first");
    assertThat(rotation.rotateIfNeeded(live)).isTrue();
    Files.writeString(live, "second", StandardOpenOption.APPEND);
    assertThat(rotation.rotateIfNeeded(live)).isTrue();
    Files.writeString(live, "third", StandardOpenOption.APPEND);
    assertThat(rotation.rotateIfNeeded(live)).isTrue();

    assertThat(Files.size(live)).isZero();
    assertThat(Files.readString(LogRotation.numbered(live, 1))).isEqualTo("third");
    assertThat(Files.readString(LogRotation.numbered(live, 2))).isEqualTo("second");
    assertThat(LogRotation.numbered(live, 3)).doesNotExist();
    assertThat(rotation.rotateIfNeeded(data.resolve("missing.log"))).isFalse();
  }

  @Test
  void followsAFileAcrossATruncate() throws IOException {
    Path live = data.resolve("stderr.log");
    assertThat(LogTail.last(live, 10).bytes()).isEmpty();
    Files.writeString(live, "hello world");

    LogTail.Chunk tail = LogTail.last(live, 5);
    assertThat(tail.text()).isEqualTo("world");
    assertThat(LogTail.since(live, tail.nextOffset(), 100).bytes()).isEmpty();

    Files.writeString(live, "!\n", StandardOpenOption.APPEND);
    LogTail.Chunk more = LogTail.since(live, tail.nextOffset(), 1);
    assertThat(more.text()).isEqualTo("!");
    more = LogTail.since(live, more.nextOffset(), 100);
    assertThat(more.text()).isEqualTo("\n");
    assertThat(more.nextOffset()).isEqualTo(13);

    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    Files.writeString(live, "new", StandardOpenOption.APPEND);
    LogTail.Chunk after = LogTail.since(live, more.nextOffset(), 100);
    assertThat(after.restarted()).isTrue();
    assertThat(after.text()).isEqualTo("new");
    assertThat(after.nextOffset()).isEqualTo(3);
  }

  @Test
  void theSupervisorRotatesARunningProcessesOutputWhichGoesOnAppendingAtTheStart() throws IOException {
    Allocation a = new Allocation("a-logs", "task-logs", 1, List.of("sh", "-c",
        "seq 1 1000; while [ ! -e go ]; do sleep 0.05; done; echo after"), Map.of(), null);
    LogRotation rotation = new LogRotation(1000, 3, Duration.ofSeconds(5));
    supervisor = AllocationSupervisor.start(data, a, RestartPolicy.defaults(Mode.NEVER),
        Thresholds.NONE, new ProcessLauncher(ProcFs.host()),
        SupervisorOptions.defaults().withLogRotation(rotation));
    AllocationDir dir = supervisor.dir();
    String numbers = IntStream.rangeClosed(1, 1000).mapToObj(i -> i + "\n").collect(Collectors.joining());

    supervisor.step(clock.get());
    await().atMost(WITHIN).until(() -> Files.size(dir.stdoutFile()) == numbers.length());
    LogTail.Chunk seen = LogTail.last(dir.stdoutFile(), 4);
    assertThat(seen.text()).isEqualTo("000\n");
    clock.addAndGet(Duration.ofSeconds(4).toNanos());
    supervisor.step(clock.get());
    assertThat(LogRotation.numbered(dir.stdoutFile(), 1)).doesNotExist();

    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    supervisor.step(clock.get());
    assertThat(Files.readString(LogRotation.numbered(dir.stdoutFile(), 1))).isEqualTo(numbers);
    assertThat(Files.size(dir.stdoutFile())).isZero();

    Files.createFile(dir.path().resolve("go"));
    await().atMost(WITHIN).until(() -> Files.size(dir.stdoutFile()) > 0 || !Files.readString(dir.stderrFile()).isEmpty());
    assertThat(Files.readString(dir.stderrFile())).isEmpty();
    assertThat(Files.readString(dir.stdoutFile())).isEqualTo("after\n");
    LogTail.Chunk followed = LogTail.since(dir.stdoutFile(), seen.nextOffset(), 100);
    assertThat(followed.restarted()).isTrue();
    assertThat(followed.text()).isEqualTo("after\n");
  }
}
