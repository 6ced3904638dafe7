package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendGapTest {

  @Test
  void theLongestGapCountsTheOneStillOpen() {
    SendGap g = new SendGap();
    assertThat(g.longestNanos(1_000)).isZero();

    g.sent(100);
    g.sent(300);
    g.sent(350);

    assertThat(g.longestNanos(360)).isEqualTo(200);
    assertThat(g.longestNanos(1_000)).isEqualTo(650);   // silent since 350
  }

  @Test
  void aMarkStartsANewSpanForVerdictsButNotForTheRun() {
    SendGap g = new SendGap();
    g.sent(0);
    g.sent(5_000);   // a 5 s gap, then a verdict
    g.mark();
    g.sent(5_500);
    g.sent(6_000);

    assertThat(g.longestSinceMarkNanos(6_100)).isEqualTo(500);
    assertThat(g.longestNanos(6_100)).isEqualTo(5_000);
    // The gap open when the mark was set still counts after it.
    g.mark();
    assertThat(g.longestSinceMarkNanos(9_000)).isEqualTo(3_000);
  }
}
