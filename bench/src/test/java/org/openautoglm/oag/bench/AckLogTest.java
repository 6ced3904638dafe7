package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AckLogTest {

  private static AckLog.Ack ack(long send, long ack) {
    return new AckLog.Ack(send, ack);
  }

  @Test
  void theGapEndsAtTheFirstAckOfAWriteSentAfterTheKill() {
    long t0 = 1_000;
    List<AckLog.Ack> acks = List.of(
        ack(900, 990),      // before the kill
        ack(950, 1_400),    // sent before, acknowledged after: may be the old leader's commit
        ack(1_001, 2_600),
        ack(1_200, 2_500),  // sent later but acknowledged first
        ack(2_510, 2_520));

    assertThat(AckLog.gapNanos(acks, t0)).hasValue(1_500);
  }

  @Test
  void aWriteSentAtTheVeryMomentOfTheKillCounts() {
    assertThat(AckLog.gapNanos(List.of(ack(1_000, 1_700)), 1_000)).hasValue(700);
  }

  @Test
  void noGapUntilAWriteSentAfterTheKillIsAcknowledged() {
    assertThat(AckLog.gapNanos(List.of(ack(900, 5_000)), 1_000)).isEqualTo(OptionalLong.empty());
    assertThat(AckLog.gapNanos(List.of(), 1_000)).isEmpty();
  }

  @Test
  void nanoTimeValuesAreComparedByDifferenceSoWrapAroundIsHarmless() {
    long t0 = Long.MAX_VALUE - 100;
    List<AckLog.Ack> acks = List.of(
        ack(t0 - 5, t0 + 1),
        ack(t0 + 50, t0 + 500),   // past Long.MAX_VALUE: wrapped to a negative value
        ack(t0 + 60, t0 + 400));
    assertThat(t0 + 400).isNegative();
    assertThat(AckLog.gapNanos(acks, t0)).hasValue(400);
  }

  @Test
  void theLogKnowsWhetherWritesAreBeingAcknowledged() {
    AckLog log = new AckLog();
    assertThat(log.ackedSince(0)).isFalse();
    log.record(10, 20);
    log.record(15, 30);
    assertThat(log.ackedSince(25)).isTrue();
    assertThat(log.ackedSince(31)).isFalse();
    log.clear();
    assertThat(log.gapNanos(0)).isEmpty();
    assertThat(log.total()).isEqualTo(2);
  }
}
