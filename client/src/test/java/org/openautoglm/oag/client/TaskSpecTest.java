package org.openautoglm.oag.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Thresholds;

class TaskSpecTest {

  @Test
  void fencingThresholdsAndStopGraceReachTheProto() {
    var p = TaskSpec.command("serve")
        .fencing(FencingMode.FENCING_AVAILABLE)
        .maxMemoryMiB(2048).maxCpu(150, Duration.ofSeconds(30))
        .maxRuntime(Duration.ofHours(1)).killOnThreshold(true)
        .stopGrace(Duration.ofMillis(2500))
        .toProto();

    assertEquals(FencingMode.FENCING_AVAILABLE, p.getFencing());
    assertEquals(Thresholds.newBuilder().setMaxMemoryMib(2048).setMaxCpuPercent(150)
        .setCpuForMs(30_000).setMaxRuntimeMs(3_600_000).setKill(true).build(), p.getThresholds());
    assertEquals(2500, p.getStopGraceMs());
  }

  @Test
  void withoutLimitsTheThresholdsStayUnset() {
    var p = TaskSpec.command("true").toProto();

    assertFalse(p.hasThresholds());
    assertEquals(FencingMode.FENCING_MODE_UNSPECIFIED, p.getFencing());
    assertEquals(0, p.getStopGraceMs());
  }

  @Test
  void cpuLimitNeedsBothPercentAndDuration() {
    TaskSpec s = TaskSpec.command("true");

    assertThrows(IllegalArgumentException.class, () -> s.maxCpu(150, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> s.maxCpu(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> s.maxCpu(-5, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> s.maxRuntime(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> s.maxMemoryMiB(-1));
  }
}
