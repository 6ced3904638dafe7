package org.openautoglm.oag.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import java.util.List;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.Readiness;
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
  void readinessAndMovableReachTheProtoAndTheLastCheckSetWins() {
    var tcp = TaskSpec.command("serve").readinessTcp(8080).readinessPeriod(Duration.ofMillis(500))
        .readinessTimeout(Duration.ofSeconds(2)).movable(true).toProto();
    var cmd = TaskSpec.command("serve").readinessTcp(8080)
        .readinessCommand(List.of("curl", "-f", "localhost:8080/health")).toProto();

    assertEquals(Readiness.newBuilder().setTcpPort(8080).setPeriodMs(500).setTimeoutMs(2_000).build(),
        tcp.getReadiness());
    assertTrue(tcp.getMovable());
    assertEquals(Readiness.newBuilder().addCommand("curl").addCommand("-f").addCommand("localhost:8080/health")
        .build(), cmd.getReadiness());
    assertEquals(8080, TaskSpec.command("serve").readinessCommand("true").readinessTcp(8080).toProto()
        .getReadiness().getTcpPort());
    assertEquals(0, TaskSpec.command("serve").readinessCommand("true").readinessTcp(8080).toProto()
        .getReadiness().getCommandCount());
  }

  @Test
  void aBadReadinessCheckIsRefusedAtOnce() {
    TaskSpec s = TaskSpec.command("serve");

    assertThrows(IllegalArgumentException.class, () -> s.readinessTcp(0));
    assertThrows(IllegalArgumentException.class, () -> s.readinessTcp(65_536));
    assertThrows(IllegalArgumentException.class, () -> s.readinessCommand(List.of()));
    assertThrows(IllegalArgumentException.class, () -> s.readinessPeriod(Duration.ofMillis(-1)));
  }

  @Test
  void withoutLimitsTheThresholdsStayUnset() {
    var p = TaskSpec.command("true").toProto();

    assertFalse(p.hasThresholds());
    assertEquals(FencingMode.FENCING_MODE_UNSPECIFIED, p.getFencing());
    assertEquals(0, p.getStopGraceMs());
    assertFalse(p.hasReadiness());
    assertFalse(p.getMovable());
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
