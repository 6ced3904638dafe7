package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckClockTest {

  @Test
  void anAckIsTimedFromItsHeartbeatsSendOnceAndOnlyWhenMeasured() {
    AckClock c = new AckClock();
    c.sent(1, 1_000, true);
    c.sent(2, 2_000, false);

    assertThat(c.acked(1, 1_250)).hasValue(250);
    assertThat(c.acked(1, 1_300)).isEmpty();   // a second ack of the same heartbeat
    assertThat(c.acked(2, 2_100)).isEmpty();   // sent after the measured phase
    assertThat(c.acked(3, 3_000)).isEmpty();   // never sent
    assertThat(c.acked(0, 3_000)).isEmpty();
  }

  @Test
  void aHeartbeatWhoseSlotWasReusedIsForgotten() {
    AckClock c = new AckClock();
    c.sent(1, 1_000, true);
    c.sent(1 + AckClock.SLOTS, 5_000, true);

    assertThat(c.acked(1, 6_000)).isEmpty();
    assertThat(c.acked(1 + AckClock.SLOTS, 6_000)).hasValue(1_000);
  }
}
