package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heartbeat schedule and its lateness bookkeeping, on a fake clock: no thread, no sleep. */
class HeartbeatShardTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A clock that only moves when the shard waits (to the due time) or a send takes time. */
  private static final class FakeClock implements HeartbeatShard.Waiter {
    long now;
    final long stopAt;

    FakeClock(long start, long stopAt) {
      this.now = start;
      this.stopAt = stopAt;
    }

    @Override
    public boolean awaitUntil(long nanos) {
      if (nanos >= stopAt) {
        return false;
      }
      now = Math.max(now, nanos);
      return true;
    }
  }

  private record Send(int agent, long at) {}

  @Test
  void agentsAreSpreadEvenlyOverTheIntervalAndSentOnTimeWhenNothingStalls() {
    SendSchedule schedule = new SendSchedule(1_000 * MS, 100 * MS, 4);
    FakeClock clock = new FakeClock(0, 1_300 * MS);
    List<Send> sends = new ArrayList<>();
    HeartbeatShard shard = new HeartbeatShard(new int[] {0, 1, 2, 3}, schedule, () -> clock.now, clock,
        (k, m) -> sends.add(new Send(k, clock.now)), 10_000 * MS);

    shard.run();

    // Agent k at 1000 + 25k ms, every 100 ms, for 3 intervals.
    assertThat(sends).hasSize(12);
    for (int i = 0; i < sends.size(); i++) {
      assertThat(sends.get(i).agent()).isEqualTo(i % 4);
      assertThat(sends.get(i).at()).isEqualTo(1_000 * MS + i * 25 * MS);
    }
    HeartbeatShard.Totals t = shard.totals();
    assertThat(t.sent()).isEqualTo(12);
    assertThat(t.skipped()).isZero();
    assertThat(t.missed()).isZero();
    assertThat(t.lateMicros().getMaxValue()).isZero();
  }

  @Test
  void aSlowSendMakesTheNextOnesLateAndTheLatenessIsRecordedAgainstTheSchedule() {
    SendSchedule schedule = new SendSchedule(0, 100 * MS, 4);
    FakeClock clock = new FakeClock(0, 100 * MS);   // one interval
    HeartbeatShard shard = new HeartbeatShard(new int[] {0, 1, 2, 3}, schedule, () -> clock.now, clock, (k, m) -> {
      if (k == 1) {
        clock.now += 40 * MS;   // agent 1's send (due at 25) stalls until 65
      }
      return true;
    }, 100 * MS);

    shard.run();

    HeartbeatShard.Totals t = shard.totals();
    assertThat(t.sent()).isEqualTo(4);
    // Agent 2 (due at 50) starts at 65: 15 ms late; agent 3 (due at 75) is on time again.
    assertThat(t.lateMicros().getMaxValue()).isBetween(14_990L, 15_010L);
    assertThat(t.lateMicros().getTotalCount()).isEqualTo(4);
    assertThat(t.lateMicros().getValueAtPercentile(50)).isZero();
  }

  @Test
  void aStallOfWholeIntervalsSkipsThemInsteadOfSendingABurst() {
    SendSchedule schedule = new SendSchedule(0, 100 * MS, 2);
    FakeClock clock = new FakeClock(0, 600 * MS);
    List<Send> sends = new ArrayList<>();
    HeartbeatShard shard = new HeartbeatShard(new int[] {0, 1}, schedule, () -> clock.now, clock, (k, m) -> {
      sends.add(new Send(k, clock.now));
      if (sends.size() == 2) {
        clock.now += 320 * MS;   // agent 1's first send (at 50) stalls until 370: a long pause
      }
      return true;
    }, 10_000 * MS);

    shard.run();

    // Cycle 0 at 0 and 50; at 370 cycles 1 and 2 (due 100/150 and 200/250) are over an interval
    // late: skipped, 4 heartbeats missed; cycle 3 (300 and 350) is sent at once, late; then on time.
    assertThat(sends).containsExactly(new Send(0, 0), new Send(1, 50 * MS), new Send(0, 370 * MS),
        new Send(1, 370 * MS), new Send(0, 400 * MS), new Send(1, 450 * MS), new Send(0, 500 * MS),
        new Send(1, 550 * MS));
    HeartbeatShard.Totals t = shard.totals();
    assertThat(t.missed()).isEqualTo(4);
    assertThat(t.sent()).isEqualTo(8);
    assertThat(t.lateMicros().getMaxValue()).isBetween(69_950L, 70_050L);   // agent 0 of cycle 3
  }

  @Test
  void heartbeatsDueWithoutASessionAreCountedSkippedAndLeaveNoLateness() {
    SendSchedule schedule = new SendSchedule(0, 100 * MS, 3);
    FakeClock clock = new FakeClock(0, 200 * MS);
    Set<Integer> connected = new HashSet<>(Set.of(0, 2));
    HeartbeatShard shard = new HeartbeatShard(new int[] {0, 1, 2}, schedule, () -> clock.now, clock, (k, m) -> {
      clock.now += 5 * MS;   // every send takes 5 ms
      return connected.contains(k);
    }, 10_000 * MS);

    shard.run();

    HeartbeatShard.Totals t = shard.totals();
    assertThat(t.sent()).isEqualTo(4);
    assertThat(t.skipped()).isEqualTo(2);
    assertThat(t.lateMicros().getTotalCount()).isEqualTo(4);
    assertThat(t.lateMicros().getMaxValue()).isZero();   // 33 ms apart: a 5 ms send delays nobody
  }

  @Test
  void onlyHeartbeatsDueInTheMeasuredPhaseAreCountedButLaterOnesAreStillSent() {
    SendSchedule schedule = new SendSchedule(0, 100 * MS, 2);
    FakeClock clock = new FakeClock(0, 400 * MS);
    List<Send> sends = new ArrayList<>();
    HeartbeatShard shard = new HeartbeatShard(new int[] {0, 1}, schedule, () -> clock.now, clock,
        (k, m) -> sends.add(new Send(k, clock.now)), 150 * MS);

    shard.run();

    assertThat(sends).hasSize(8);
    assertThat(shard.totals().sent()).isEqualTo(3);   // due at 0, 50, 100
  }

  @Test
  void aShardOwnsEveryNthAgentAndTheirOffsetsComeFromTheWholeFleet() {
    // Two shards of a fleet of 4: shard 1 has agents 1 and 3, at offsets 25 and 75 ms.
    SendSchedule schedule = new SendSchedule(0, 100 * MS, 4);
    FakeClock clock = new FakeClock(0, 200 * MS);
    List<Send> sends = new ArrayList<>();
    new HeartbeatShard(new int[] {1, 3}, schedule, () -> clock.now, clock, (k, m) -> sends.add(new Send(k, clock.now)),
        10_000 * MS).run();

    assertThat(sends).containsExactly(new Send(1, 25 * MS), new Send(3, 75 * MS), new Send(1, 125 * MS),
        new Send(3, 175 * MS));
  }

  @Test
  void theScheduleIsComputedFromIndexesAndRejectsNonsense() {
    SendSchedule s = new SendSchedule(7, 1_000_000_000L, 3);
    assertThat(s.dueNanos(2, 1_000_000)).isEqualTo(7 + 1_000_000L * 1_000_000_000L + 666_666_666L);
    assertThat(s.cyclesBehind(0, 0, 6)).isZero();
    assertThat(s.cyclesBehind(0, 0, 7 + 2_500_000_000L)).isEqualTo(2);
    assertThatThrownBy(() -> new SendSchedule(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.dueNanos(3, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeartbeatShard(new int[] {2, 1}, s, () -> 0, t -> false, (k, m) -> true, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
