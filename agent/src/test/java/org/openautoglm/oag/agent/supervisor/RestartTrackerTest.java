package org.openautoglm.oag.agent.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.agent.supervisor.RestartDecision.GiveUp;
import org.openautoglm.oag.agent.supervisor.RestartDecision.RestartAt;
import org.openautoglm.oag.agent.supervisor.RestartDecision.Stay;
import org.openautoglm.oag.agent.supervisor.RestartPolicy.Mode;

class RestartTrackerTest {
  private static final long S = 1_000_000_000L;
  /** An arbitrary monotonic-clock origin, negative as System.nanoTime() may be. */
  private static final long T0 = -5_000 * S;

  /** A fake clock: each run starts where the previous restart was scheduled. */
  private long now = T0;

  private static RestartPolicy policy(Mode mode) {
    return RestartPolicy.defaults(mode);
  }

  /** A run of {@code seconds} from now that exits with {@code status}; the clock moves on. */
  private RestartDecision run(RestartTracker tracker, long seconds, int status) {
    long started = now;
    now += seconds * S;
    RestartDecision decision = tracker.onExit(status, started, now);
    if (decision instanceof RestartAt r) {
      now = r.atNanos();
    }
    return decision;
  }

  @Test
  void neverStaysDownWhateverTheExit() {
    RestartTracker tracker = new RestartTracker(policy(Mode.NEVER));

    assertThat(run(tracker, 1, 3)).isInstanceOf(Stay.class);
    assertThat(tracker.restarts()).isZero();
  }

  @Test
  void onFailureStaysDownAfterACleanExit() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));

    assertThat(run(tracker, 1, 0)).isInstanceOf(Stay.class);
    assertThat(tracker.restarts()).isZero();
  }

  @Test
  void onFailureRestartsAFailedExitAfterTheInitialBackoff() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));
    long exitedAt = T0 + 2 * S;

    assertThat(tracker.onExit(3, T0, exitedAt))
        .isEqualTo(new RestartAt(exitedAt + S, 1, Duration.ofSeconds(1)));
    assertThat(tracker.restarts()).isEqualTo(1);
  }

  @Test
  void killedBySignalCountsAsAFailure() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));

    assertThat(run(tracker, 1, 128 + 9)).isInstanceOf(RestartAt.class);
  }

  @Test
  void alwaysRestartsACleanExit() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ALWAYS));

    assertThat(run(tracker, 1, 0)).isEqualTo(new RestartAt(now, 1, Duration.ofSeconds(1)));
  }

  @Test
  void backoffDoublesAndCapsAtTheMaximum() {
    RestartPolicy p = new RestartPolicy(Mode.ALWAYS, Duration.ofSeconds(1),
        Duration.ofSeconds(10), Duration.ofMinutes(5), 100, Duration.ofHours(1));
    RestartTracker tracker = new RestartTracker(p);

    long[] delays = new long[7];
    int[] attempts = new int[7];
    for (int i = 0; i < delays.length; i++) {
      RestartAt r = (RestartAt) run(tracker, 1, 1);
      delays[i] = r.delay().toSeconds();
      attempts[i] = r.attempt();
    }

    assertThat(delays).containsExactly(1, 2, 4, 8, 10, 10, 10);
    assertThat(attempts).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(tracker.restarts()).isEqualTo(7);
  }

  @Test
  void backoffCapsWithoutOverflowAfterManyAttempts() {
    RestartPolicy p = new RestartPolicy(Mode.ALWAYS, Duration.ofNanos(1),
        Duration.ofDays(365), Duration.ofDays(400), 1000, Duration.ofSeconds(1));
    RestartTracker tracker = new RestartTracker(p);
    RestartAt last = null;
    for (int i = 0; i < 200; i++) {
      // Each exit comes after the window, so the budget never bites
      last = (RestartAt) tracker.onExit(1, i * 10 * S, i * 10 * S + S);
    }

    assertThat(last.delay()).isEqualTo(Duration.ofDays(365));
    assertThat(last.attempt()).isEqualTo(200);
  }

  @Test
  void aStableRunResetsTheBackoff() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));
    run(tracker, 1, 1);
    run(tracker, 1, 1);
    assertThat(((RestartAt) run(tracker, 1, 1)).delay()).isEqualTo(Duration.ofSeconds(4));

    // 30 s is the default stableAfter: a run this long got going
    RestartAt afterStable = (RestartAt) run(tracker, 30, 1);

    assertThat(afterStable.attempt()).isEqualTo(1);
    assertThat(afterStable.delay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aShortRunKeepsDoubling() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));
    run(tracker, 1, 1);

    assertThat(((RestartAt) run(tracker, 29, 1)).attempt()).isEqualTo(2);
  }

  @Test
  void anExhaustedBudgetGivesUpWithAReason() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));
    for (int i = 0; i < 5; i++) {
      assertThat(run(tracker, 1, 1)).isInstanceOf(RestartAt.class);
    }

    RestartDecision sixth = run(tracker, 1, 1);

    assertThat(sixth)
        .isEqualTo(new GiveUp("restart budget exhausted: 5 restarts within 10m"));
    assertThat(tracker.restarts()).isEqualTo(5);
    // Given up is final: a late exit report does not revive it
    assertThat(tracker.onExit(1, now, now + 3600 * S)).isEqualTo(sixth);
  }

  @Test
  void stableRunsStillSpendTheBudget() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ALWAYS));
    for (int i = 0; i < 5; i++) {
      run(tracker, 60, 1);
    }

    assertThat(run(tracker, 60, 1)).isInstanceOf(GiveUp.class);
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ON_FAILURE));
    long firstExit = now + S;
    for (int i = 0; i < 5; i++) {
      run(tracker, 1, 1);
    }

    // Exactly one window after the first restart's exit: that one has aged out, four remain
    long exit = firstExit + Duration.ofMinutes(10).toNanos();
    RestartDecision decision = tracker.onExit(1, exit - S, exit);

    assertThat(decision).isInstanceOf(RestartAt.class);
    assertThat(tracker.restarts()).isEqualTo(6);
    // The next one, just after, finds five in the window again
    assertThat(tracker.onExit(1, exit, exit + S)).isInstanceOf(GiveUp.class);
  }

  @Test
  void aZeroBudgetGivesUpOnTheFirstExitThatWouldRestart() {
    RestartPolicy p = new RestartPolicy(Mode.ALWAYS, Duration.ZERO, Duration.ZERO,
        Duration.ZERO, 0, Duration.ofMinutes(1));

    assertThat(new RestartTracker(p).onExit(0, 0, 1))
        .isEqualTo(new GiveUp("restart budget exhausted: 0 restarts within 1m"));
  }

  @Test
  void rejectsAnExitBeforeTheStart() {
    RestartTracker tracker = new RestartTracker(policy(Mode.ALWAYS));

    assertThatThrownBy(() -> tracker.onExit(1, 10, 9))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void policyValidationRejectsBadValues() {
    Duration s = Duration.ofSeconds(1);
    Duration neg = Duration.ofSeconds(-1);
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, neg, s, s, 1, s), "initialBackoff");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, neg, s, 1, s), "maxBackoff");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, s, neg, 1, s), "stableAfter");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, s, s, 1, neg), "budgetWindow");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, s, s, 1, Duration.ZERO), "budgetWindow");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s.multipliedBy(2), s, s, 1, s), "maxBackoff");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, s, s, -1, s), "budget");
    assertBad(() -> new RestartPolicy(Mode.ALWAYS, s, Duration.ofDays(1_000_000), s, 1, s),
        "too long");
    assertThatThrownBy(() -> new RestartPolicy(null, s, s, s, 1, s))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void defaultsAreDocumentedValues() {
    RestartPolicy p = RestartPolicy.defaults(Mode.ON_FAILURE);

    assertThat(p).isEqualTo(new RestartPolicy(Mode.ON_FAILURE, Duration.ofSeconds(1),
        Duration.ofSeconds(60), Duration.ofSeconds(30), 5, Duration.ofMinutes(10)));
  }

  @Test
  void formatsDurationsTheWayPeopleWriteThem() {
    assertThat(RestartTracker.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(RestartTracker.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(RestartTracker.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(RestartTracker.format(Duration.ofNanos(7))).isEqualTo("7ns");
  }

  private static void assertBad(Runnable build, String message) {
    assertThatThrownBy(build::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
