package org.openautoglm.oag.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSamplerTest {
  @TempDir Path proc;

  @Test
  void cpuIsTheBusyShareOfAllJiffiesBetweenTwoSamples() throws IOException {
    write("stat", "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n");
    write("meminfo", "MemTotal:       16384000 kB\nMemFree:         1000 kB\nMemAvailable:    8192000 kB\n");
    write("loadavg", "0.52 0.58 0.59 1/467 12345\n");
    HostSampler sampler = new HostSampler(new ProcFs(proc, 100, 4096));

    HostSample first = sampler.sample();
    // 1000 more jiffies, 250 of them idle or iowait: 75% busy.
    write("stat", "cpu  600 0 350 900 150 0 0 0 0 0\n");
    HostSample second = sampler.sample();

    assertThat(first.cpuPercent()).isZero();
    assertThat(second.cpuPercent()).isCloseTo(75.0, within(0.01));
    assertThat(second.memoryTotalMiB()).isEqualTo(16000);
    assertThat(second.memoryUsedMiB()).isEqualTo(8000);
    assertThat(second.load1()).isEqualTo(0.52);
  }

  @Test
  void thisHostsProcReadsSanely() {
    HostSampler sampler = new HostSampler(ProcFs.host());
    sampler.sample();
    HostSample s = sampler.sample();

    assertThat(s.memoryTotalMiB()).isPositive();
    assertThat(s.memoryUsedMiB()).isBetween(0L, s.memoryTotalMiB());
    assertThat(s.cpuPercent()).isBetween(0.0, 100.0);
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(proc.resolve(name), text);
  }
}
