package org.openautoglm.oag.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSamplerTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path proc;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void endProcesses() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void parsesStatFieldsAfterACommandNameWithSpacesAndParentheses() {
    String line = "4242 (my (odd) task) S 1 4242 4242 0 -1 4194560 500 0 0 0 "
        + "150 50 0 0 20 0 1 0 123456 10485760 2560 18446744073709551615";

    ProcStat s = ProcStat.parse(line);

    assertThat(s.state()).isEqualTo('S');
    assertThat(s.cpuTicks()).isEqualTo(200);
    assertThat(s.startTicks()).isEqualTo(123456);
    assertThat(s.rssPages()).isEqualTo(2560);
  }

  @Test
  void cpuIsTicksOverWallTimeAndRssIsPages() throws IOException {
    AtomicLong clock = new AtomicLong();
    Files.createDirectories(proc.resolve("77"));
    Files.writeString(proc.resolve("uptime"), "2000.00 100.00\n");
    stat(77, 100, 100_000, 25_600);
    ProcessSampler sampler = new ProcessSampler(new ProcFs(proc, 100, 4096), clock::get);

    assertThat(sampler.sample(77)).hasValueSatisfying(s -> assertThat(s.cpuPercent()).isZero());
    // 150 ticks (1.5 s of CPU) in 2 s of wall time: 75% of one core.
    clock.addAndGet(2_000_000_000L);
    stat(77, 250, 100_000, 25_600);
    ProcessSample s = sampler.sample(77).orElseThrow();

    assertThat(s.cpuPercent()).isCloseTo(75.0, within(0.01));
    assertThat(s.rssMiB()).isEqualTo(100);
    assertThat(s.uptimeSeconds()).isCloseTo(1000.0, within(0.01));
  }

  @Test
  void aReusedPidStartsItsCpuAfresh() throws IOException {
    AtomicLong clock = new AtomicLong();
    Files.createDirectories(proc.resolve("77"));
    stat(77, 100, 100_000, 1);
    ProcessSampler sampler = new ProcessSampler(new ProcFs(proc, 100, 4096), clock::get);
    sampler.sample(77);

    clock.addAndGet(1_000_000_000L);
    stat(77, 5_000, 200_000, 1);   // another process with the same pid

    assertThat(sampler.sample(77)).hasValueSatisfying(s -> {
      assertThat(s.startTicks()).isEqualTo(200_000);
      assertThat(s.cpuPercent()).isZero();
    });
  }

  @Test
  void aGoneProcessHasNoSample() {
    assertThat(new ProcessSampler(new ProcFs(proc, 100, 4096), System::nanoTime).sample(99)).isEmpty();
  }

  @Test
  void aRealProcessIsStoppedBySigstopAndRunsAgainAfterSigcont() throws Exception {
    Process sleep = start("sleep", "60");
    ProcessSampler sampler = new ProcessSampler(ProcFs.host(), System::nanoTime);
    await().atMost(WITHIN).until(() -> sampler.sample(sleep.pid()).map(s -> s.state() == 'S').orElse(false));
    assertThat(sampler.sample(sleep.pid())).hasValueSatisfying(s -> assertThat(s.rssMiB()).isGreaterThanOrEqualTo(0));

    signal("-STOP", sleep.pid());
    await().atMost(WITHIN).until(() -> sampler.sample(sleep.pid()).map(ProcessSample::stopped).orElse(false));

    signal("-CONT", sleep.pid());
    await().atMost(WITHIN).until(() -> sampler.sample(sleep.pid()).map(s -> !s.stopped()).orElse(false));
  }

  @Test
  void aBusyProcessShowsCpu() throws Exception {
    Process busy = start("sh", "-c", "while :; do :; done");
    ProcessSampler sampler = new ProcessSampler(ProcFs.host(), System::nanoTime);
    sampler.sample(busy.pid());

    // Two cores shared with the build: a spinning shell still gets a good part of one.
    await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() ->
        sampler.sample(busy.pid()).map(s -> s.cpuPercent() > 10).orElse(false));
  }

  private Process start(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    started.add(p);
    return p;
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private void stat(long pid, long cpuTicks, long startTicks, long rssPages) throws IOException {
    Files.writeString(proc.resolve(pid + "/stat"), pid + " (task) R 1 1 1 0 -1 0 0 0 0 0 "
        + cpuTicks + " 0 0 0 20 0 1 0 " + startTicks + " 1000 " + rssPages + " 0\n");
  }
}
