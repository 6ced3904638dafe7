package org.openautoglm.oag.coordinator.propose;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeStampsTest {
  private static final long T0 = 1_795_000_000_000L;
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private final AtomicLong wall = new AtomicLong(T0);
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final TimeStamps stamps = new TimeStamps(wall::get, nanos::get);

  private void pass(long ms) {
    wall.addAndGet(ms);
    nanos.addAndGet(ms * 1_000_000);
  }

  @Test
  void aRightClockIsStampedAsItIs() {
    assertThat(stamps.stamp(1)).isEqualTo(T0);
    pass(1_234);
    assertThat(stamps.stamp(1)).isEqualTo(T0 + 1_234);
  }

  @Test
  void aStepOfADayDuringATermMovesStampsByAtMostTheSkew() {
    stamps.stamp(1);
    pass(1_000);
    wall.addAndGet(25 * HOUR);

    assertThat(stamps.stamp(1)).isEqualTo(T0 + 1_000 + TimeStamps.SKEW_MS + 10);

    // Set right again: stamps follow real time at once.
    wall.addAndGet(-25 * HOUR);
    pass(500);
    assertThat(stamps.stamp(1)).isEqualTo(T0 + 1_500);
  }

  @Test
  void aBackwardStepIsHeldTheSameWay() {
    stamps.stamp(1);
    pass(2_000);
    wall.addAndGet(-10 * HOUR);

    assertThat(stamps.stamp(1)).isEqualTo(T0 + 2_000 - TimeStamps.SKEW_MS - 20);
  }

  @Test
  void aSteppedClockIsFollowedOnlyALittleFasterThanRealTime() {
    stamps.stamp(1);
    wall.addAndGet(25 * HOUR);
    pass(HOUR);

    // An hour of real time later: a minute plus 1% of that hour ahead, not a day.
    assertThat(stamps.stamp(1)).isEqualTo(T0 + HOUR + TimeStamps.SKEW_MS + HOUR / 100);
  }

  @Test
  void driftOfTheMonotonicClockIsFollowed() {
    stamps.stamp(1);
    // A day of real time with the wall clock 100 ppm ahead of the monotonic one: 8.6 s.
    nanos.addAndGet(24 * HOUR * 1_000_000);
    wall.addAndGet(24 * HOUR + 8_640);

    assertThat(stamps.stamp(1)).isEqualTo(T0 + 24 * HOUR + 8_640);
  }

  @Test
  void aNewTermStartsFromTheWallClock() {
    stamps.stamp(1);
    wall.addAndGet(25 * HOUR);
    pass(10);

    assertThat(stamps.stamp(2)).isEqualTo(T0 + 25 * HOUR + 10);
  }
}
