package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

class RetryTest extends ClientTestSupport {

  @Test
  void retriesReuseTheSameClientAndRequestId() throws Exception {
    FakeCoordinator leader = fake("n1")
        .thenFail(Failure.of(Status.UNAVAILABLE.withDescription("no leader yet")))
        .thenFail(Failure.of(Status.RESOURCE_EXHAUSTED.withDescription("too many pending")))
        .thenFail(Failure.with(Status.UNAVAILABLE.withDescription("lost"),
            OagTrailers.INDETERMINATE, "true"))
        .thenFail(Failure.of(Status.DEADLINE_EXCEEDED.withDescription("apply timed out")));
    CoordinatorClient client = client(config("n1"));

    Task t = client.submit(TaskSpec.command("true").toProto(), "req-1");
    client.start(t.getId());

    List<RequestMeta> metas = leader.metas;
    assertEquals(6, metas.size());
    for (RequestMeta m : metas.subList(0, 5)) {
      assertEquals("test-client", m.getClientId());
      assertEquals("req-1", m.getRequestId());
    }
    assertEquals("test-client", metas.get(5).getClientId());
    assertNotEquals("req-1", metas.get(5).getRequestId(), "a new logical call, a new id");
    assertEquals(4, ticker.sleeps.size());
  }

  @Test
  void backoffGrowsAndIsCapped() throws Exception {
    FakeCoordinator leader = fake("n1");
    for (int i = 0; i < 8; i++) {
      leader.thenFail(Failure.of(Status.UNAVAILABLE));
    }
    CoordinatorClient client = client(config("n1")
        .backoff(Duration.ofMillis(100), Duration.ofMillis(800)));

    client.create(TaskSpec.command("true"));

    List<Duration> s = ticker.sleeps;
    assertEquals(8, s.size());
    assertTrue(s.get(0).toMillis() >= 50 && s.get(0).toMillis() <= 100, s.toString());
    assertTrue(s.get(2).toMillis() >= 200 && s.get(2).toMillis() <= 400, s.toString());
    for (Duration d : s.subList(3, 8)) {
      assertTrue(d.toMillis() >= 400 && d.toMillis() <= 800, s.toString());
    }
  }

  @Test
  void indeterminateWhenTheBudgetRunsOutAfterAMaybeAppliedAttempt() throws Exception {
    FakeCoordinator leader = fake("n1")
        .thenFail(Failure.with(Status.UNAVAILABLE.withDescription("leader lost mid-write"),
            OagTrailers.INDETERMINATE, "true"))
        .alwaysFail(Failure.of(Status.UNAVAILABLE.withDescription("no leader")));
    CoordinatorClient client = client(config("n1").retryBudget(Duration.ofSeconds(5)));

    IndeterminateException e = assertThrows(IndeterminateException.class,
        () -> client.submit(TaskSpec.command("true").toProto(), "req-7"));

    assertEquals("req-7", e.requestId());
    assertEquals("test-client", e.clientId());
    assertTrue(e.getMessage().contains("req-7"), e.getMessage());
    Set<String> ids = leader.metas.stream().map(RequestMeta::getRequestId)
        .collect(Collectors.toSet());
    assertEquals(Set.of("req-7"), ids);
    assertTrue(leader.calls() > 3);
  }

  @Test
  void anInternalErrorAfterAMaybeAppliedAttemptIsIndeterminate() throws Exception {
    fake("n1")
        .thenFail(Failure.with(Status.UNAVAILABLE.withDescription("leader lost mid-write"),
            OagTrailers.INDETERMINATE, "true"))
        .thenFail(Failure.of(Status.INTERNAL.withDescription("boom")));
    CoordinatorClient client = client(config("n1"));

    IndeterminateException e = assertThrows(IndeterminateException.class,
        () -> client.submit(TaskSpec.command("true").toProto(), "req-8"));

    assertEquals("req-8", e.requestId());
    assertTrue(e.getMessage().contains("boom"), e.getMessage());
  }

  @Test
  void theServersVerdictAfterAMaybeAppliedAttemptStandsAsIs() throws Exception {
    fake("n1")
        .thenFail(Failure.with(Status.UNAVAILABLE.withDescription("leader lost mid-write"),
            OagTrailers.INDETERMINATE, "true"))
        .thenFail(Failure.of(Status.FAILED_PRECONDITION.withDescription("task is finished")));
    CoordinatorClient client = client(config("n1"));

    assertThrows(FailedPreconditionException.class,
        () -> client.submit(TaskSpec.command("true").toProto(), "req-10"));
  }

  @Test
  void plainUnavailableUntilTheBudgetRunsOutIsUnavailableNotIndeterminate() throws Exception {
    fake("n1").alwaysFail(Failure.of(Status.UNAVAILABLE.withDescription("no leader")));
    CoordinatorClient client = client(config("n1").retryBudget(Duration.ofSeconds(5)));

    UnavailableException e = assertThrows(UnavailableException.class,
        () -> client.submit(TaskSpec.command("true")));

    assertTrue(e.getMessage().contains("no leader"), e.getMessage());
  }

  @Test
  void unreachableEverywhereIsUnavailable() throws Exception {
    CoordinatorClient client = client(config("gone1", "gone2").retryBudget(Duration.ofSeconds(3)));

    assertThrows(UnavailableException.class, () -> client.submit(TaskSpec.command("true")));
  }

  @Test
  void aWriteLostWithTheConnectionAfterItWasSentIsIndeterminate() throws Exception {
    FakeCoordinator leader = fake("n1").thenFail(Failure.hanging());
    CoordinatorClient client = client(config("n1").retryBudget(Duration.ofMillis(400)));
    Thread killer = new Thread(() -> {
      org.awaitility.Awaitility.await().until(() -> leader.calls() == 1);
      leader.shutdownNow();
    });
    killer.start();

    assertThrows(IndeterminateException.class,
        () -> client.submit(TaskSpec.command("true").toProto(), "req-9"));
    killer.join();
  }
}
