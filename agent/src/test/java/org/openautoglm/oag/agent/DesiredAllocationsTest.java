package org.openautoglm.oag.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.ready.ReadinessCheck;
import org.openautoglm.oag.agent.supervisor.RestartPolicy;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.openautoglm.oag.agent.v1.Readiness;
import org.openautoglm.oag.agent.v1.Restart;

class DesiredAllocationsTest {
  private static final DesiredAllocation GOOD = DesiredAllocation.newBuilder()
      .setAllocationId("a-1").setTaskId("t").setGeneration(1).setDesired(DesiredState.RUN)
      .addCommand("sleep").addCommand("1").build();

  @Test
  void acceptsAWellFormedAllocation() {
    assertThat(DesiredAllocations.problem(GOOD)).isEmpty();
    assertThat(DesiredAllocations.allocation(GOOD).command()).containsExactly("sleep", "1");
  }

  @Test
  void namesWhatIsWrongWithAMalformedOne() {
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setAllocationId("").build()))
        .hasValue("empty allocation id");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setAllocationId("a/b").build()))
        .hasValue("allocation id is not a single path segment");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setAllocationId("..").build()))
        .hasValue("allocation id is not a single path segment");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setGeneration(0).build()))
        .hasValue("generation must be >= 1, was 0");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().clearCommand().build()))
        .hasValue("empty command");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().clearCommand().addCommand("").build()))
        .hasValue("empty command");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setTaskId(" ").build()))
        .hasValue("empty task id");
    assertThat(DesiredAllocations.problem(
        GOOD.toBuilder().setDesired(DesiredState.DESIRED_STATE_UNSPECIFIED).build()))
        .get().asString().startsWith("no known desired state");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setRestartValue(9).build()))
        .hasValue("unknown restart mode 9");
    assertThat(DesiredAllocations.problem(GOOD.toBuilder().setStopGraceMs(-1).build()))
        .hasValue("negative stop grace -1");
  }

  @Test
  void refusesAMalformedReadinessCheck() {
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder())))
        .hasValue("readiness port 0 outside 1-65535 and no command");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().setTcpPort(65536))))
        .hasValue("readiness port 65536 outside 1-65535 and no command");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().setTcpPort(-1))))
        .hasValue("readiness port -1 outside 1-65535 and no command");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().setTcpPort(8080)
        .addCommand("true")))).hasValue("readiness names both a port and a command");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().addCommand(""))))
        .hasValue("readiness command names no program");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().setTcpPort(8080)
        .setPeriodMs(-1)))).hasValue("negative readiness period -1");
    assertThat(DesiredAllocations.problem(withReadiness(Readiness.newBuilder().addCommand("true")
        .setTimeoutMs(-5)))).hasValue("negative readiness timeout -5");
  }

  @Test
  void readsAReadinessCheckWithDefaultsForZeroAndNoneWhenUnset() {
    assertThat(DesiredAllocations.readiness(GOOD)).isEmpty();
    assertThat(DesiredAllocations.readiness(withReadiness(Readiness.newBuilder().setTcpPort(8080))))
        .hasValue(ReadinessCheck.tcp(8080));
    DesiredAllocation command = withReadiness(Readiness.newBuilder().addCommand("test")
        .addCommand("-f").addCommand("ready").setPeriodMs(250).setTimeoutMs(3000));
    assertThat(DesiredAllocations.problem(command)).isEmpty();
    assertThat(DesiredAllocations.readiness(command)).hasValue(new ReadinessCheck(0,
        List.of("test", "-f", "ready"), Duration.ofMillis(250), Duration.ofSeconds(3)));
  }

  @Test
  void mapsRestartModesToTheSupervisorsDefaultsAndUnspecifiedToNever() {
    assertThat(DesiredAllocations.restartPolicy(GOOD))
        .isEqualTo(RestartPolicy.defaults(RestartPolicy.Mode.NEVER));
    assertThat(DesiredAllocations.restartPolicy(GOOD.toBuilder().setRestart(Restart.ON_FAILURE).build()))
        .isEqualTo(RestartPolicy.defaults(RestartPolicy.Mode.ON_FAILURE));
    assertThat(DesiredAllocations.restartPolicy(GOOD.toBuilder().setRestart(Restart.ALWAYS).build()))
        .isEqualTo(RestartPolicy.defaults(RestartPolicy.Mode.ALWAYS));
  }

  @Test
  void stopGraceDefaultsWhenUnnamed() {
    assertThat(DesiredAllocations.grace(GOOD, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(DesiredAllocations.grace(GOOD.toBuilder().setStopGraceMs(250).build(),
        Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(250));
  }

  private static DesiredAllocation withReadiness(Readiness.Builder readiness) {
    return GOOD.toBuilder().setReadiness(readiness).build();
  }
}
