package org.openautoglm.oag.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leader's lease rule: acks only after a same-term leadership check begun after them. */
class LeaseAcksTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong term = new AtomicLong(3);
  private final List<CompletableFuture<Void>> checks = new CopyOnWriteArrayList<>();
  private final List<String> acked = new CopyOnWriteArrayList<>();
  /** A fake clock far ahead, so the 200 ms spacing of checks never delays these tests. */
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  private final LeaseAcks acks = new LeaseAcks(new LeaseAcks.Leadership() {
    @Override
    public long leadingTerm() {
      return term.get();
    }

    @Override
    public CompletableFuture<Void> confirm() {
      CompletableFuture<Void> check = new CompletableFuture<>();
      checks.add(check);
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      return check;
    }
  }, executor, nanos::get, new SimpleMeterRegistry().timer("ack_delay"));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private void heartbeat(String name) {
    acks.afterLeadershipCheck(3, () -> acked.add(name));
  }

  @Test
  void nothingIsAckedBeforeTheCheckSucceedsAndOneCheckServesAllThatArrivedBeforeIt() {
    heartbeat("a1");
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 1);
    heartbeat("a2");   // arrived during the first check: waits for the next one
    assertThat(acked).isEmpty();

    checks.get(0).complete(null);

    await().atMost(Duration.ofSeconds(5)).until(() -> acked.contains("a1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 2);
    assertThat(acked).containsExactly("a1");
    checks.get(1).complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.size() == 2);
    assertThat(acked).containsExactly("a1", "a2");
  }

  @Test
  void aFailedCheckAcksNothingAndTheNextHeartbeatGetsAFreshCheck() {
    heartbeat("cut-off");
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 1);

    checks.get(0).completeExceptionally(new IllegalStateException("no majority"));
    heartbeat("later");
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 2);
    checks.get(1).complete(null);

    await().atMost(Duration.ofSeconds(5)).until(() -> acked.contains("later"));
    assertThat(acked).containsExactly("later");
  }

  @Test
  void aTermThatChangedDuringTheCheckAcksNothingOfTheOldTerm() {
    heartbeat("old-term");
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 1);

    term.set(4);
    checks.get(0).complete(null);
    acks.afterLeadershipCheck(4, () -> acked.add("new-term"));
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 2);
    checks.get(1).complete(null);

    await().atMost(Duration.ofSeconds(5)).until(() -> acked.contains("new-term"));
    assertThat(acked).containsExactly("new-term");
  }

  @Test
  void aNodeThatDoesNotLeadChecksNothingAndAcksNothing() {
    term.set(-1);
    heartbeat("follower");
    heartbeat("follower-2");
    await().atMost(Duration.ofSeconds(5)).until(acks::idle);
    term.set(3);
    heartbeat("leader-again");

    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 1);
    checks.get(0).complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.contains("leader-again"));
    assertThat(acked).doesNotContain("follower", "follower-2");
  }
}
