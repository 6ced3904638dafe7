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
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.TaskSpecRecord;

class CommandValidatorTest {

  private static Optional<Violation> validateSpec(UnaryOperator<TaskSpecRecord.Builder> change) {
    TaskSpecRecord spec = change.apply(Fixtures.spec("ok").toBuilder()).build();
    return CommandValidator.validate(Fixtures.submit(Fixtures.header(1, 1), spec, true));
  }

  private static Arguments bad(String field, String message, UnaryOperator<TaskSpecRecord.Builder> change) {
    return Arguments.of(field, message, change);
  }

  static Stream<Arguments> badSpecs() {
    String big = "x".repeat(4097);
    return Stream.of(
        bad("spec.command", "required", b -> b.setCommand("")),
        bad("spec.command", "4097 chars, at most 4096", b -> b.setCommand(big)),
        bad("spec.command", "contains a NUL character", b -> b.setCommand("/bin/a\0b")),
        bad("spec.args", "1025 entries, at most 1024", b -> {
          b.clearArgs();
          for (int i = 0; i < 1025; i++) {
            b.addArgs("a");
          }
          return b;
        }),
        bad("spec.args[2]", "contains a NUL character", b -> b.addArgs("ok").addArgs("b\0d")),
        bad("spec.name", "254 chars, at most 253", b -> b.setName("n".repeat(254))),
        bad("spec.name", "may contain only A-Z a-z 0-9 . _ - but has ' '", b -> b.setName("my task")),
        bad("spec.name", "but has '/'", b -> b.setName("a/b")),
        bad("spec.resources.cpu_millis", "-1 is outside 0..1000000", b -> b.setCpuMillis(-1)),
        bad("spec.resources.cpu_millis", "1000001 is outside", b -> b.setCpuMillis(1_000_001)),
        bad("spec.resources.memory_mib", "16777217 is outside 0..16777216", b -> b.setMemoryMib(16_777_217)),
        bad("spec.resources.memory_mib", "-5 is outside", b -> b.setMemoryMib(-5)),
        bad("spec.resources.gpus", "65 is outside 0..64", b -> b.setGpus(65)),
        bad("spec.resources.gpus", "-1 is outside", b -> b.setGpus(-1)),
        bad("spec.priority", "1001 is outside -1000..1000", b -> b.setPriority(1001)),
        bad("spec.priority", "-1001 is outside", b -> b.setPriority(-1001)),
        bad("spec.env", "empty key", b -> b.putEnv("", "v")),
        bad("spec.env", "key of 254 chars, at most 253", b -> b.putEnv("K".repeat(254), "v")),
        bad("spec.env", "key 'A=B' contains '='", b -> b.putEnv("A=B", "v")),
        bad("spec.env", "contains a NUL character", b -> b.putEnv("A\0", "v")),
        bad("spec.env", "entry 'A' contains a NUL character", b -> b.putEnv("A", "v\0")),
        bad("spec.labels", "empty key", b -> b.putLabels("", "v")),
        bad("spec.labels", "key of 254 chars, at most 253", b -> b.putLabels("k".repeat(254), "v")),
        bad("spec.working_dir", "contains a NUL character", b -> b.setWorkingDir("/tmp\0")),
        bad("spec.restart", "unknown restart policy 9", b -> b.setRestartValue(9)),
        bad("spec", "bytes, at most 65536", b -> b.putLabels("input", "x".repeat(70_000))));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badSpecs")
  void eachSpecRuleNamesItsField(String field, String message, UnaryOperator<TaskSpecRecord.Builder> change) {
    Violation v = validateSpec(change).orElseThrow();
    assertEquals(field, v.field());
    assertTrue(v.message().contains(message), v.message());
    assertEquals(field + ": " + v.message(), v.describe());
  }

  @Test
  void boundaryValuesAreValid() {
    assertEquals(Optional.empty(), validateSpec(b -> b
        .setCommand("c".repeat(4096))
        .setName("aZ09._-".repeat(37).substring(0, 253))
        .setCpuMillis(1_000_000).setMemoryMib(16_777_216).setGpus(64).setPriority(-1000)
        .putEnv("K".repeat(253), "v=with=equals")
        .putLabels("k".repeat(253), "any value \0 at all")));
    assertEquals(Optional.empty(), validateSpec(b -> b.setName("").setPriority(1000)));
  }

  @Test
  void specSizeIsReportedInBytes() {
    Violation v = validateSpec(b -> b.putLabels("input", "x".repeat(70_000))).orElseThrow();
    assertTrue(v.message().matches("\\d+ bytes, at most 65536"), v.message());
  }

  private static Optional<Violation> validateHeader(String clientId, String requestId) {
    CommandHeader h = Fixtures.header(1, 1, clientId, requestId);
    return CommandValidator.validate(Fixtures.submit(h, Fixtures.spec("ok"), true));
  }

  @Test
  void idempotencyKeyRules() {
    assertEquals(Optional.empty(), validateHeader("", ""));
    assertEquals(Optional.empty(), validateHeader("c".repeat(128), "r".repeat(128)));
    assertEquals(new Violation("meta.request_id", "set together with meta.client_id"),
        validateHeader("client", "").orElseThrow());
    assertEquals(new Violation("meta.client_id", "set together with meta.request_id"),
        validateHeader("", "req").orElseThrow());
    assertEquals(new Violation("meta.client_id", "129 chars, at most 128"),
        validateHeader("c".repeat(129), "r").orElseThrow());
    assertEquals(new Violation("meta.request_id", "129 chars, at most 128"),
        validateHeader("c", "r".repeat(129)).orElseThrow());
    assertEquals(new Violation("meta.client_id", "contains a NUL character"),
        validateHeader("a\0b", "r").orElseThrow());
  }

  @Test
  void updateRules() {
    assertEquals(Optional.empty(), CommandValidator.validate(Fixtures.update(1, 1, "t17", Action.PAUSE)));
    assertEquals(new Violation("task_id", "malformed task id 'x'"),
        CommandValidator.validate(Fixtures.update(1, 1, "x", Action.STOP)).orElseThrow());
    assertEquals(new Violation("task_id", "malformed task id 't0'"),
        CommandValidator.validate(Fixtures.update(1, 1, "t0", Action.STOP)).orElseThrow());
    assertEquals("action",
        CommandValidator.validate(Fixtures.update(1, 1, "t1", Action.ACTION_UNSPECIFIED)).orElseThrow().field());
  }

  @Test
  void aCommandWithoutBodyIsInvalid() {
    Command empty = Command.newBuilder().setHeader(Fixtures.header(1, 1)).build();
    assertEquals("command", CommandValidator.validate(empty).orElseThrow().field());
  }

  @Test
  void headerIsCheckedBeforeBody() {
    Command both = Fixtures.update(Fixtures.header(1, 1, "c", ""), "bad", Action.STOP);
    assertEquals("meta.request_id", CommandValidator.validate(both).orElseThrow().field());
  }
}
