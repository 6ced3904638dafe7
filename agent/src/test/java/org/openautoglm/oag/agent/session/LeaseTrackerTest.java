package org.openautoglm.oag.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The lease arithmetic on a fake monotonic clock (plain numbers, some negative). */
class LeaseTrackerTest {
  private static final long MS = 1_000_000L;

  @Test
  void anAckRunsTheLeaseFromTheAckedHeartbeatsSendTime() {
    LeaseTracker lease = new LeaseTracker();
    lease.sent(1, -5_000 * MS);
    lease.sent(2, -4_500 * MS);
    assertThat(lease.deadlineNanos()).isEmpty();

    assertThat(lease.acked(2, 3000)).hasValue(-1_500 * MS);
    assertThat(lease.deadlineNanos()).hasValue(-1_500 * MS);
  }

  @Test
  void aLateAckForAnOlderHeartbeatNeverShortensTheLease() {
    LeaseTracker lease = new LeaseTracker();
    lease.sent(1, 0);
    lease.sent(2, 500 * MS);
    assertThat(lease.acked(2, 3000)).hasValue(3_500 * MS);
    assertThat(lease.acked(1, 3000)).isEmpty();
    assertThat(lease.acked(2, 1000)).isEmpty();
    assertThat(lease.deadlineNanos()).hasValue(3_500 * MS);
  }

  @Test
  void unknownSequencesAndNonPositiveLeasesChangeNothing() {
    LeaseTracker lease = new LeaseTracker();
    lease.sent(7, 100);
    assertThat(lease.knows(7)).isTrue();
    assertThat(lease.knows(8)).isFalse();
    assertThat(lease.acked(8, 3000)).isEmpty();
    assertThat(lease.acked(7, 0)).isEmpty();
    assertThat(lease.acked(7, -1)).isEmpty();
    assertThat(lease.deadlineNanos()).isEmpty();
  }

  @Test
  void remembersOnlyTheLatestSendTimes() {
    LeaseTracker lease = new LeaseTracker();
    for (long seq = 1; seq <= LeaseTracker.REMEMBERED + 10; seq++) {
      lease.sent(seq, seq * MS);
    }
    assertThat(lease.knows(10)).isFalse();
    assertThat(lease.knows(LeaseTracker.REMEMBERED + 10)).isTrue();
    OptionalLong d = lease.acked(LeaseTracker.REMEMBERED + 10, 1);
    assertThat(d).hasValue((LeaseTracker.REMEMBERED + 11) * MS);
  }

  @Test
  void deadlinesAreComparedByDifferenceAcrossTheClocksWrap() {
    LeaseTracker lease = new LeaseTracker();
    lease.sent(1, Long.MAX_VALUE - MS);
    lease.sent(2, Long.MAX_VALUE);
    long first = lease.acked(1, 2).getAsLong();
    long second = lease.acked(2, 2).getAsLong();
    assertThat(second - first).isEqualTo(MS);
  }
}
