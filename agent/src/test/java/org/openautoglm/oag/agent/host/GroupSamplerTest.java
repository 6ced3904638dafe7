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
import org.openautoglm.oag.agent.gpu.GpuProcess;
import org.openautoglm.oag.agent.gpu.GpuProcessUtilization;

class GroupSamplerTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path proc;
  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final List<Long> groups = new ArrayList<>();

  @AfterEach
  void killGroups() throws Exception {
    for (long pgid : groups) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void sumsMemoryCpuAndGpuOverTheGroupsMembersOnly() throws IOException {
    Files.writeString(proc.resolve("uptime"), "2000.00 100.00\n");
    stat(40, 40, 'S', 100, 100_000, 2560);
    stat(41, 40, 'R', 100, 100_100, 2560);
    stat(50, 50, 'S', 9_999, 100_000, 999_999);   // another group
    GroupSampler sampler = new GroupSampler(new ProcFs(proc, 100, 4096), clock::get, Duration.ZERO);
    sampler.gpu(List.of(new GpuProcess(41, "GPU-a", 1000), new GpuProcess(41, "GPU-b", 24),
        new GpuProcess(50, "GPU-a", 7)), List.of(new GpuProcessUtilization(41, 0, 30)));

    GroupSample first = sampler.sample(40).orElseThrow();
    assertThat(first.processes()).isEqualTo(2);
    assertThat(first.rssMiB()).isEqualTo(20);
    assertThat(first.cpuPercent()).isZero();
    assertThat(first.uptimeSeconds()).isCloseTo(1000.0, within(0.01));
    assertThat(first.gpuMemoryMiB()).isEqualTo(1024);
    assertThat(first.gpuPercent()).isEqualTo(30);

    // In 2 s: the leader used 1 s of CPU, the member 0.5 s, and a new member joined with 0.5 s.
    clock.addAndGet(2_000_000_000L);
    stat(40, 40, 'T', 200, 100_000, 2560);
    stat(41, 40, 'R', 150, 100_100, 2560);
    stat(42, 40, 'R', 50, 100_150, 0);
    GroupSample second = sampler.sample(40).orElseThrow();
    assertThat(second.cpuPercent()).isCloseTo(100.0, within(0.01));
    assertThat(second.processes()).isEqualTo(3);
    assertThat(second.stopped()).isTrue();
    assertThat(sampler.sample(60)).isEmpty();
  }

  @Test
  void oneScanServesEverySampleUntilItIsStale() throws IOException {
    stat(40, 40, 'S', 100, 100_000, 256);
    GroupSampler sampler = new GroupSampler(new ProcFs(proc, 100, 4096), clock::get,
        Duration.ofSeconds(1));
    assertThat(sampler.sample(40).orElseThrow().rssMiB()).isEqualTo(1);

    stat(40, 40, 'S', 100, 100_000, 512);
    assertThat(sampler.sample(40).orElseThrow().rssMiB()).isEqualTo(1);
    clock.addAndGet(1_000_000_000L);
    assertThat(sampler.sample(40).orElseThrow().rssMiB()).isEqualTo(2);
  }

  @Test
  void findsEveryProcessOfARealGroup() throws Exception {
    Process p = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & sleep 60 & wait")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long pgid = p.pid();
    groups.add(pgid);
    GroupSampler sampler = new GroupSampler(ProcFs.host(), System::nanoTime, Duration.ZERO);

    await().atMost(WITHIN).until(() -> sampler.sample(pgid).map(s -> s.processes() == 3).orElse(false));
    GroupSample s = sampler.sample(pgid).orElseThrow();
    assertThat(s.rssMiB()).isPositive();
    assertThat(s.stopped()).isFalse();
  }

  private void stat(long pid, long pgid, char state, long cpuTicks, long startTicks, long rssPages)
      throws IOException {
    Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(proc.resolve(pid + "/stat"), pid + " (task) " + state + " 1 " + pgid + " "
        + pgid + " 0 -1 0 0 0 0 0 " + cpuTicks + " 0 0 0 20 0 1 0 " + startTicks + " 1000 "
        + rssPages + " 0\n");
  }
}
