package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

class ErrorMappingTest extends ClientTestSupport {
  private static final StatusMapper.Attempt WRITE_ANSWERED =
      new StatusMapper.Attempt(true, true, true, "c", "r");
  private static final StatusMapper.Attempt WRITE_LOST =
      new StatusMapper.Attempt(true, true, false, "c", "r");
  private static final StatusMapper.Attempt WRITE_NOT_SENT =
      new StatusMapper.Attempt(true, false, false, "c", "r");
  private static final StatusMapper.Attempt READ_LOST =
      new StatusMapper.Attempt(false, true, false, null, null);

  @Test
  void notLeaderCarriesTheHint() {
    Metadata m = new Metadata();
    m.put(OagTrailers.LEADER_ID, "c2");
    m.put(OagTrailers.LEADER_ADDRESS, "10.0.0.2:7071");
    OagException e = StatusMapper.map(
        Status.UNAVAILABLE.withDescription("not leader"), m, WRITE_ANSWERED);
    NotLeaderException nl = assertInstanceOf(NotLeaderException.class, e);
    assertEquals("c2", nl.leaderId().orElseThrow());
    assertEquals("10.0.0.2:7071", nl.leaderAddress().orElseThrow());

    NotLeaderException none = assertInstanceOf(NotLeaderException.class, StatusMapper.map(
        Status.UNAVAILABLE.withDescription("not leader; no leader known"), null, WRITE_ANSWERED));
    assertTrue(none.leaderAddress().isEmpty());
  }

  @Test
  void whetherAFailedWriteMayHaveLandedDependsOnWhatTheAttemptSaw() {
    Status unavailable = Status.UNAVAILABLE.withDescription("x");
    assertInstanceOf(UnavailableException.class,
        StatusMapper.map(unavailable, null, WRITE_ANSWERED));
    assertInstanceOf(IndeterminateException.class,
        StatusMapper.map(unavailable, null, WRITE_LOST));
    assertInstanceOf(UnavailableException.class,
        StatusMapper.map(unavailable, null, WRITE_NOT_SENT));
    assertInstanceOf(UnavailableException.class, StatusMapper.map(unavailable, null, READ_LOST));
    assertInstanceOf(IndeterminateException.class,
        StatusMapper.map(Status.DEADLINE_EXCEEDED, null, WRITE_ANSWERED));
    assertInstanceOf(UnavailableException.class,
        StatusMapper.map(Status.DEADLINE_EXCEEDED, null, WRITE_NOT_SENT));
    assertInstanceOf(UnavailableException.class,
        StatusMapper.map(Status.RESOURCE_EXHAUSTED, null, WRITE_ANSWERED));
    Metadata m = new Metadata();
    m.put(OagTrailers.INDETERMINATE, "true");
    assertInstanceOf(IndeterminateException.class,
        StatusMapper.map(unavailable, m, WRITE_ANSWERED));
  }

  @Test
  void refusalsAreNotRetryable() {
    OagException other = StatusMapper.map(
        Status.INTERNAL.withDescription("boom"), null, WRITE_ANSWERED);
    assertEquals(OagException.class, other.getClass());
    assertEquals(Status.Code.INTERNAL, other.code());
    assertFalse(other.retryable());
    assertFalse(StatusMapper.map(Status.NOT_FOUND, null, WRITE_ANSWERED).retryable());
  }

  @Test
  void invalidArgumentNamesTheFieldWithoutRetrying() throws Exception {
    FakeCoordinator leader = fake("n1").alwaysFail(Failure.with(
        Status.INVALID_ARGUMENT.withDescription("spec.command: must not be empty"),
        OagTrailers.FIELD, "spec.command"));
    CoordinatorClient client = client(config("n1"));

    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> client.submit(TaskSpec.command("")));

    assertEquals("spec.command", e.field());
    assertEquals("spec.command: must not be empty", e.getMessage());
    assertEquals(1, leader.calls());
  }

  @Test
  void notFoundAndFailedPreconditionAreThrownAsTheServerSaidThem() throws Exception {
    FakeCoordinator leader = fake("n1")
        .thenFail(Failure.of(Status.FAILED_PRECONDITION.withDescription("request id reused")));
    CoordinatorClient client = client(config("n1"));

    FailedPreconditionException fp = assertThrows(FailedPreconditionException.class,
        () -> client.start("t1"));
    assertEquals("request id reused", fp.getMessage());
    NotFoundException nf = assertThrows(NotFoundException.class, () -> client.get("t42"));
    assertEquals("task t42 not found", nf.getMessage());
    assertEquals(2, leader.calls());
  }

  @Test
  void everyAttemptCarriesTheConfiguredDeadline() throws Exception {
    FakeCoordinator leader = fake("n1");
    CoordinatorClient client = client(config("n1").deadline(Duration.ofSeconds(3)));

    client.clusterStatus();
    client.submit(TaskSpec.command("true"));

    for (long ms : leader.deadlinesMs) {
      assertTrue(ms > 2_000 && ms <= 3_000, "deadline seen by the server: " + ms + " ms");
    }
  }

  @Test
  void noAttemptOutlivesTheRetryBudget() throws Exception {
    FakeCoordinator leader = fake("n1");
    CoordinatorClient client = client(config("n1")
        .deadline(Duration.ofSeconds(10)).retryBudget(Duration.ofSeconds(2)));

    client.clusterStatus();

    long ms = leader.deadlinesMs.get(0);
    assertTrue(ms > 1_000 && ms <= 2_000, "deadline seen by the server: " + ms + " ms");
  }

  @Test
  void aHangingServerTimesOutWritesAsIndeterminateAndReadsAsUnavailable() throws Exception {
    fake("n1").alwaysFail(Failure.hanging());
    CoordinatorClient client = client(config("n1")
        .deadline(Duration.ofMillis(100)).retryBudget(Duration.ofMillis(350)));

    IndeterminateException w = assertThrows(IndeterminateException.class,
        () -> client.submit(TaskSpec.command("true")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, w.code());
    UnavailableException r = assertThrows(UnavailableException.class, () -> client.get("t1"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, r.code());
  }
}
