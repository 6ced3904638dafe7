package org.openautoglm.oag.chaos.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskGenerationTest {

  @Test
  void parsesATickLine() {
    assertThat(parse("t1 3")).contains(new TaskGeneration("t1", 3));
    assertThat(parse("  t1 \t 3  \r")).contains(new TaskGeneration("t1", 3));
    assertThat(parse("t1 " + Long.MAX_VALUE)).contains(new TaskGeneration("t1", Long.MAX_VALUE));
  }

  @Test
  void rejectsAnythingElse() {
    for (String line : new String[] {"", " ", "t1", "t1 3 4", "t1 -3", "t1 +3", "t1 3x",
        "t1 99999999999999999999", " 3", "t\u00011 3"}) {
      assertThat(parse(line)).as("'%s'", line).isEmpty();
    }
    assertThat(TaskGeneration.parse(new byte[] {'t', (byte) 0xc3, ' ', '1'}, 4)).isEmpty();
  }

  @Test
  void taskIdsMustFitALine() {
    assertThat(TaskGeneration.validTaskId("x".repeat(TaskGeneration.MAX_TASK_ID_BYTES))).isTrue();
    assertThat(TaskGeneration.validTaskId("x".repeat(TaskGeneration.MAX_TASK_ID_BYTES + 1)))
        .isFalse();
    assertThat(TaskGeneration.validTaskId("é".repeat(TaskGeneration.MAX_TASK_ID_BYTES / 2 + 1)))
        .isFalse();
  }

  private static Optional<TaskGeneration> parse(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return TaskGeneration.parse(bytes, bytes.length);
  }
}
