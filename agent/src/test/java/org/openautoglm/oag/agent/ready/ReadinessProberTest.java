package org.openautoglm.oag.agent.ready;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.supervisor.Allocation;
import org.openautoglm.oag.agent.supervisor.AllocationDir;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;

/**
 * The prober on real sockets on 127.0.0.1 and real commands; the test thread plays the
 * supervision loop, so every condition polls in the same thread.
 */
class ReadinessProberTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final Duration FAST = Duration.ofMillis(50);
  private static final InetAddress LOOPBACK = loopback();

  @TempDir Path data;
  private final AtomicInteger changes = new AtomicInteger();
  private final ReadinessProber prober = new ReadinessProber("n1", changes::incrementAndGet);

  @AfterEach
  void close() {
    prober.close();
  }

  @Test
  void tcpCheckPassesOnlyWhileAServerListensOnTheLoopback() throws Exception {
    AllocationDir dir = dir("a1", Map.of(), null);
    int port = freePort();
    ReadinessCheck check = ReadinessCheck.tcp(port).withPeriod(FAST);
    assertThat(Checker.run(check, dir)).satisfies(r -> {
      assertThat(r.passed()).isFalse();
      assertThat(r.reason()).startsWith("connect to 127.0.0.1:" + port);
    });
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 100), false, check)).isFalse();

    try (ServerSocket server = listen(port)) {
      await().pollInSameThread().atMost(WITHIN)
          .until(() -> prober.observe(dir, status(AllocationState.RUNNING, 100), false, check));
    }
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> !prober.observe(dir, status(AllocationState.RUNNING, 100), false, check));
    assertThat(changes).hasValueGreaterThanOrEqualTo(2);
  }

  @Test
  void commandCheckPassesOnceTheFileItTestsExists() throws Exception {
    AllocationDir dir = dir("a1", Map.of(), null);
    ReadinessCheck check = ReadinessCheck.command("test", "-f", "ready").withPeriod(FAST);
    assertThat(Checker.run(check, dir)).isEqualTo(CheckResult.failed("command exited 1"));
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 100), false, check)).isFalse();

    Files.writeString(dir.path().resolve("ready"), "");
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> prober.observe(dir, status(AllocationState.RUNNING, 100), false, check));
    assertThat(changes).hasValueGreaterThanOrEqualTo(1);
  }

  @Test
  void commandRunsInTheAllocationsWorkingDirWithItsEnvironment() throws Exception {
    AllocationDir dir = dir("a1", Map.of("FOO", "bar"), "work");
    Files.createDirectories(dir.path().resolve("work"));
    ReadinessCheck check = ReadinessCheck.command("sh", "-c", "test \"$FOO\" = bar "
        + "&& test \"$OAG_ALLOC_ID\" = a1 && test \"$OAG_TASK_ID\" = t "
        + "&& test \"$PWD\" = \"$(cd " + dir.path().resolve("work") + " && pwd)\"");

    assertThat(Checker.run(check, dir)).isEqualTo(CheckResult.PASSED);
  }

  @Test
  void aCommandThatHangsPastItsTimeoutFailsAndItsWholeGroupIsKilled() throws Exception {
    AllocationDir dir = dir("a1", Map.of(), null);
    ReadinessCheck check = ReadinessCheck.command("sh", "-c", "sleep 60 & echo $! > child; wait")
        .withTimeout(Duration.ofMillis(500));

    CheckResult result = Checker.run(check, dir);

    assertThat(result).isEqualTo(CheckResult.failed("command timed out after 500 ms"));
    long child = Long.parseLong(Files.readString(dir.path().resolve("child")).trim());
    await().atMost(WITHIN).until(() -> !alive(child));
  }

  @Test
  void aHangingCheckDelaysNoOtherAllocationAndIsKilledWhenItsAllocationStopsRunning()
      throws Exception {
    AllocationDir slow = dir("slow", Map.of(), null);
    ReadinessCheck hangs = ReadinessCheck.command("sh", "-c", "sleep 60 & echo $! > child; wait")
        .withTimeout(Duration.ofSeconds(60));
    assertThat(prober.observe(slow, status(AllocationState.RUNNING, 100), false, hangs)).isFalse();
    Path childFile = slow.path().resolve("child");
    await().atMost(WITHIN).until(() -> Files.exists(childFile) && Files.size(childFile) > 0);
    long child = Long.parseLong(Files.readString(childFile).trim());

    AllocationDir fast = dir("fast", Map.of(), null);
    ReadinessCheck file = ReadinessCheck.command("test", "-f", "ready").withPeriod(FAST);
    Files.writeString(fast.path().resolve("ready"), "");
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> prober.observe(fast, status(AllocationState.RUNNING, 200), false, file));
    assertThat(alive(child)).as("the slow check is still in flight").isTrue();

    assertThat(prober.observe(slow, status(AllocationState.BACKOFF, 100), false, hangs)).isFalse();
    await().atMost(WITHIN).until(() -> !alive(child));
  }

  @Test
  void readyGoesFalseAtOnceWhenTheAllocationLeavesRunningAndARestartMustPassAgain()
      throws Exception {
    AllocationDir dir = dir("a1", Map.of(), null);
    ReadinessCheck check = ReadinessCheck.command("test", "-f", "ready").withPeriod(FAST);
    Path ready = dir.path().resolve("ready");
    Files.writeString(ready, "");
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> prober.observe(dir, status(AllocationState.RUNNING, 100), false, check));

    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 100), true, check))
        .as("stopping").isFalse();
    assertThat(prober.observe(dir, status(AllocationState.PAUSED, 100), false, check)).isFalse();
    assertThat(prober.observe(dir, status(AllocationState.BACKOFF, 100), false, check)).isFalse();

    // The restarted process has not passed yet: the earlier run's pass does not count.
    Files.delete(ready);
    for (int i = 0; i < 5; i++) {
      assertThat(prober.observe(dir, status(AllocationState.RUNNING, 101), false, check)).isFalse();
    }
    Files.writeString(ready, "");
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> prober.observe(dir, status(AllocationState.RUNNING, 101), false, check));

    // Another pid while RUNNING is another run too.
    Files.delete(ready);
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 102), false, check)).isFalse();
  }

  @Test
  void anAllocationWithoutACheckIsReadyExactlyWhileRunning() {
    AllocationDir dir = dir("a1", Map.of(), null);

    assertThat(prober.observe(dir, status(AllocationState.ASSIGNED, -1), false, null)).isFalse();
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 100), false, null)).isTrue();
    assertThat(prober.observe(dir, status(AllocationState.PAUSED, 100), false, null)).isFalse();
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 100), false, null)).isTrue();
    assertThat(prober.observe(dir, status(AllocationState.BACKOFF, 100), false, null)).isFalse();
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 101), false, null)).isTrue();
    assertThat(prober.observe(dir, status(AllocationState.RUNNING, 101), true, null)).isFalse();
    assertThat(prober.observe(dir, status(AllocationState.EXITED, 101), false, null)).isFalse();
    assertThat(changes).hasValue(0);
  }

  private AllocationDir dir(String id, Map<String, String> env, String workingDir) {
    try {
      return AllocationDir.create(data, new Allocation(id, "t", 1, List.of("sleep", "60"), env,
          workingDir));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Status status(AllocationState state, long pid) {
    return new Status(state, pid, null, 0, "test");
  }

  /** A port nothing listens on now (the kernel just handed it out and it was closed). */
  private static int freePort() throws IOException {
    try (ServerSocket s = listen(0)) {
      return s.getLocalPort();
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new java.net.InetSocketAddress(LOOPBACK, port));
    return s;
  }

  private static boolean alive(long pid) {
    return ProcFs.host().stat(pid).map(s -> !s.zombie()).orElse(false);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
