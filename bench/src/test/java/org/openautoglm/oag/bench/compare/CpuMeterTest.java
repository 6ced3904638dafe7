package org.openautoglm.oag.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

  @Test
  void busyTimeLeavesOutIdleAndIowait() {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    assertThat(CpuMeter.parseBusy("cpu  100 5 20 9000 300 1 2 3 0 0")).isEqualTo(131);
  }

  @Test
  void processTimeCountsFieldsAfterACommandNameWithSpacesAndParentheses() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
        + "700 55 0 0 20 0 40 0 1234 0 0";
    assertThat(CpuMeter.parseProcessTicks(stat)).isEqualTo(755);
  }

  @Test
  void aBusyThreadOfThisProcessShowsAsOwnCpuNotForeign() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
    CpuMeter.Window w = CpuMeter.start(List.of(ProcessHandle.current().pid()));
    long end = System.nanoTime() + 300_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());  // spin: the CPU time to see
    }
    CpuMeter.Usage u = w.stop();

    assertThat(x).isNotNegative();
    assertThat(u).isNotNull();
    assertThat(u.ownCores()).isGreaterThan(0.3);
    assertThat(u.machineCores()).isGreaterThanOrEqualTo(u.ownCores() - 0.1);
    assertThat(u.foreignCores()).isGreaterThanOrEqualTo(0);
  }
}
