package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

  @Test
  void theWorkersTogetherSendEvenlyAtTheTotalRate() {
    // 4 workers at 1000/s in total: one send every ms, worker k owns every 4th.
    OpenLoopSchedule s = new OpenLoopSchedule(5_000, 4, 1000);
    List<Long> merged = new ArrayList<>();
    for (long i = 0; i < 25; i++) {
      for (int k = 0; k < 4; k++) {
        merged.add(s.intended(k, i));
      }
    }
    merged.sort(Long::compare);
    for (int j = 0; j < merged.size(); j++) {
      assertThat(merged.get(j)).isEqualTo(5_000 + j * 1_000_000L);
    }
    assertThat(s.intended(0, 1) - s.intended(0, 0)).isEqualTo(4_000_000);
    assertThat(s.intended(3, 0)).isEqualTo(5_000 + 3_000_000);
  }

  @Test
  void timesComeFromTheIndexSoRoundingNeverDrifts() {
    // 3/s: an interval of 333,333,333.33 ns; summing rounded intervals would lose 1/3 ns each.
    OpenLoopSchedule s = new OpenLoopSchedule(0, 1, 3);
    assertThat(s.intended(0, 3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void sendsBeforeCountsTheSendsIntendedStrictlyEarlier() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000, 3, 7);
    for (int k = 0; k < 3; k++) {
      for (long t = 0; t < 3_000_000_000L; t += 37_000_003L) {
        long expected = 0;
        while (s.intended(k, expected) < t) {
          expected++;
        }
        assertThat(s.sendsBefore(k, t)).as("worker %d before %d", k, t).isEqualTo(expected);
      }
      assertThat(s.sendsBefore(k, s.intended(k, 10))).isEqualTo(10);
      assertThat(s.sendsBefore(k, s.intended(k, 10) + 1)).isEqualTo(11);
    }
  }

  @Test
  void aRateOrWorkerCountOfZeroIsRefused() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 2, 5).intended(2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
