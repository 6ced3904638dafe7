package org.openautoglm.oag.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faked wall clock: the file libfaketime reads, and a real JVM under the library that sees
 * its wall clock jump forward and back while its sleeps keep their real length.
 */
class FakeClockTest {
  private static final long SECOND_MS = 1_000;

  @Test
  void theFileHoldsTheOffsetInSecondsAsLibfaketimeReadsIt(@TempDir Path dir) throws Exception {
    FakeClock clock = new FakeClock(dir.resolve("c1.faketime"));
    assertThat(Files.readString(clock.file())).isEqualTo("+0\n");

    clock.set(Duration.ofMinutes(10));
    assertThat(Files.readString(clock.file())).isEqualTo("+600\n");
    clock.set(Duration.ofSeconds(-90));
    assertThat(Files.readString(clock.file())).isEqualTo("-90\n");
    assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(-90));
    clock.reset();
    assertThat(Files.readString(clock.file())).isEqualTo("+0\n");

    assertThatThrownBy(() -> clock.set(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.environment()).containsEntry("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .containsEntry("FAKETIME_FORCE_MONOTONIC_FIX", "0").containsEntry("FAKETIME_NO_CACHE", "1")
        .containsEntry("FAKETIME_TIMESTAMP_FILE", clock.file().toString())
        .containsEntry("LD_PRELOAD", FakeClock.LIBRARY);
  }

  @Test
  void compactionBecomesTheCoordinatorsOptions() {
    assertThat(LogCompaction.SHIPPED.args()).isEmpty();
    assertThat(LogCompaction.frequent(200, 16 << 10).args()).containsExactly(
        "--snapshot-every", "200", "--raft-segment-bytes", "16384", "--purge-log-to-snapshot");
  }

  @Test
  void aRunningJvmSeesItsWallClockJumpBothWaysAndKeepsRunning(@TempDir Path dir) throws Exception {
    assumeTrue(FakeClock.unavailable().isEmpty(), () -> "no libfaketime: " + FakeClock.unavailable().orElse(""));
    FakeClock clock = new FakeClock(dir.resolve("probe.faketime"));
    Path classes = Path.of(Printer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-cp", classes.toString(), Printer.class.getName())).redirectErrorStream(true);
    pb.environment().putAll(clock.environment());
    Process p = pb.start();
    AtomicLong skewMs = new AtomicLong(Long.MIN_VALUE);
    AtomicLong lines = new AtomicLong();
    Thread reader = new Thread(() -> read(p, skewMs, lines), "faketime-probe-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      await("a line from the probe").atMost(Duration.ofSeconds(30)).until(() -> lines.get() > 0);
      assertThat(Math.abs(skewMs.get())).as("skew before any jump").isLessThan(SECOND_MS);

      clock.set(Duration.ofMinutes(10));
      await("the jump forward").atMost(FakeClock.TAKES_EFFECT_WITHIN.plusSeconds(5))
          .until(() -> Math.abs(skewMs.get() - 600 * SECOND_MS) < SECOND_MS);
      clock.set(Duration.ofMinutes(-10));
      await("the jump backward").atMost(FakeClock.TAKES_EFFECT_WITHIN.plusSeconds(5))
          .until(() -> Math.abs(skewMs.get() + 600 * SECOND_MS) < SECOND_MS);
      clock.reset();
      await("real time again").atMost(FakeClock.TAKES_EFFECT_WITHIN.plusSeconds(5))
          .until(() -> Math.abs(skewMs.get()) < SECOND_MS);
      // Its 50 ms sleeps still last 50 ms: it keeps printing.
      long now = lines.get();
      await("more lines").atMost(Duration.ofSeconds(5)).until(() -> lines.get() > now + 5);
    } finally {
      p.destroyForcibly();
      p.waitFor();
      FakeClock.release(p.pid());
    }
    assertThat(Path.of("/dev/shm/faketime_shm_" + p.pid())).as("left by the killed probe").doesNotExist();
  }

  private static void read(Process p, AtomicLong skewMs, AtomicLong lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.matches("\\d+")) {
          skewMs.set(Long.parseLong(line) - System.currentTimeMillis());
          lines.incrementAndGet();
        }
      }
    } catch (java.io.IOException e) {
      // the probe was destroyed
    }
  }

  /** Prints its wall clock every 50 ms (run under libfaketime by the test above). */
  public static final class Printer {
    public static void main(String[] args) throws InterruptedException {
      while (true) {
        System.out.println(System.currentTimeMillis());
        Thread.sleep(50);
      }
    }
  }
}
