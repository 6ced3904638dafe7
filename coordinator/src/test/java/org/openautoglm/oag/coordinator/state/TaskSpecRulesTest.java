package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.Fencing;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.ThresholdAction;
import org.openautoglm.oag.state.v1.ThresholdRecord;

/** Thresholds, the stop grace period and the fencing mode of a task spec. */
class TaskSpecRulesTest {

  private static Optional<Violation> check(UnaryOperator<TaskSpecRecord.Builder> change) {
    return TaskSpecRules.check(change.apply(Fixtures.spec("ok").toBuilder()).build());
  }

  private static UnaryOperator<TaskSpecRecord.Builder> thresholds(UnaryOperator<ThresholdRecord.Builder> t) {
    return b -> b.setThresholds(t.apply(ThresholdRecord.newBuilder()));
  }

  private static Arguments bad(String field, String message, UnaryOperator<TaskSpecRecord.Builder> change) {
    return Arguments.of(field, message, change);
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("spec.thresholds.max_memory_mib", "-1 is outside", thresholds(t -> t.setMaxMemoryMib(-1))),
        bad("spec.thresholds.max_cpu_percent", "-5 is outside", thresholds(t -> t.setMaxCpuPercent(-5))),
        bad("spec.thresholds.cpu_for_ms", "-1 is negative", thresholds(t -> t.setCpuForMs(-1))),
        bad("spec.thresholds.max_runtime_ms", "-1 is negative", thresholds(t -> t.setMaxRuntimeMs(-1))),
        bad("spec.thresholds.cpu_for_ms", "required with max_cpu_percent", thresholds(t -> t.setMaxCpuPercent(90))),
        bad("spec.thresholds.max_cpu_percent", "required with cpu_for_ms", thresholds(t -> t.setCpuForMs(60_000))),
        bad("spec.thresholds.kill", "unknown threshold action 7", thresholds(t -> t.setActionValue(7))),
        bad("spec.stop_grace_ms", "-1 is outside 0..3600000", b -> b.setStopGraceMs(-1)),
        bad("spec.stop_grace_ms", "3600001 is outside 0..3600000", b -> b.setStopGraceMs(3_600_001)),
        bad("spec.fencing", "unknown fencing mode 5", b -> b.setFencingValue(5)),
        bad("spec.constraints[1]", "'zone' is not KEY=VALUE", b -> b.addConstraints("a=b").addConstraints("zone")),
        bad("spec.constraints[0]", "is not KEY=VALUE", b -> b.addConstraints("zone=a b")),
        bad("spec.placement", "unknown placement strategy 9", b -> b.setPlacementValue(9)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badSpecs")
  void eachRuleNamesItsField(String field, String message, UnaryOperator<TaskSpecRecord.Builder> change) {
    Violation v = check(change).orElseThrow();
    assertEquals(field, v.field());
    assertTrue(v.message().contains(message), v.message());
  }

  @Test
  void validThresholdsGraceAndFencing() {
    assertEquals(Optional.empty(), check(thresholds(t -> t.setMaxMemoryMib(512).setMaxCpuPercent(250)
        .setCpuForMs(30_000).setMaxRuntimeMs(3_600_000).setAction(ThresholdAction.KILL_PROCESS))));
    assertEquals(Optional.empty(), check(thresholds(t -> t.setMaxRuntimeMs(1))));
    assertEquals(Optional.empty(), check(b -> b.setStopGraceMs(3_600_000).setFencing(Fencing.AVAILABLE)));
    assertEquals(Optional.empty(), check(b -> b.setStopGraceMs(0).setFencing(Fencing.FENCING_UNSPECIFIED)));
    assertEquals(Optional.empty(), check(b -> b.addConstraints("gpu.model=H100").addConstraints("zone!=a")
        .addConstraints("empty=")));
  }

  @Test
  void theSubmitCommandIsRefusedWithTheSameField() {
    TaskSpecRecord spec = Fixtures.spec("ok").toBuilder().setThresholds(ThresholdRecord.newBuilder().setCpuForMs(5))
        .build();
    assertEquals("spec.thresholds.max_cpu_percent",
        CommandValidator.validate(Fixtures.submit(Fixtures.header(1, 1), spec, true)).orElseThrow().field());
  }
}
