package org.openautoglm.oag.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.host.ProcFs;

/**
 * The claim lease files rest on: {@link System#nanoTime()} reads CLOCK_MONOTONIC on Linux
 * HotSpot, one clock for every process on the host, so a deadline the agent's JVM wrote is
 * comparable with the keeper's JVM's clock.
 */
class MonotonicClockTest {

  @Test
  void anotherJvmsNanoTimeFallsBetweenOursBeforeAndAfter() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = Path.of(NanoTime.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    long before = System.nanoTime();
    Process p = new ProcessBuilder(java, "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
        NanoTime.class.getName()).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      long theirs = Long.parseLong(new String(p.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII).trim());
      long after = System.nanoTime();

      assertThat(theirs).isBetween(before, after);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void nanoTimeIsTimeSinceBootWhichUptimeBoundsFromAbove() {
    // /proc/uptime is CLOCK_BOOTTIME: monotonic time plus any time suspended, so never less.
    ProcFs proc = ProcFs.host();
    double nanosAsSeconds = System.nanoTime() / 1e9;
    double uptime = proc.uptimeSeconds().orElseThrow();

    assertThat(nanosAsSeconds).isLessThanOrEqualTo(uptime + 0.01);
    assertThat(nanosAsSeconds).isPositive();
  }
}
