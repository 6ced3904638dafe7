package org.openautoglm.oag.coordinator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

  @Test
  void taskKeysSortInSequenceOrder() {
    long[] seqs = {1, 2, 255, 256, 65_536, 1L << 40};
    for (int i = 1; i < seqs.length; i++) {
      byte[] a = Keys.taskKey(seqs[i - 1]);
      byte[] b = Keys.taskKey(seqs[i]);
      assertTrue(Arrays.compareUnsigned(a, b) < 0, seqs[i - 1] + " < " + seqs[i]);
      assertEquals(seqs[i], Keys.seqOfKey(b));
    }
  }

  @Test
  void taskIdsRoundTrip() {
    assertEquals("t42", Keys.taskId(42));
    assertEquals(42, Keys.seqOfTaskId("t42"));
    assertEquals(999_999_999_999_999_999L, Keys.seqOfTaskId("t999999999999999999"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "t", "t0", "t01", "T1", "x1", "t1a", "t-1", " t1", "t1 ", "t1000000000000000000"})
  void malformedTaskIds(String id) {
    assertEquals(-1, Keys.seqOfTaskId(id));
  }

  @Test
  void nullTaskIdIsMalformed() {
    assertEquals(-1, Keys.seqOfTaskId(null));
  }
}
