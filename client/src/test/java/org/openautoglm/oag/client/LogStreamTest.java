package org.openautoglm.oag.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.testing.FakeCoordinator;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

class LogStreamTest extends ClientTestSupport {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void followsTheLeaderAndStreamsUntilTheAllocationEnds() throws Exception {
    FakeCoordinator follower = fake("n1").follower("c2", addr("n2"));
    FakeCoordinator leader = withTask(fake("n2"));
    leader.appendLog("t1", false, "a\n");
    leader.appendLog("t1", true, "on stderr\n");
    CoordinatorClient client = client(config("n1"));

    Subscription s = client.logs(LogQuery.of("t1").following().withTailBytes(100), out::writeBytes);
    await().until(() -> text().equals("a\n"));
    leader.appendLog("t1", false, "b\n");
    await().until(() -> text().equals("a\nb\n"));
    leader.endLogs("t1");
    s.await();

    assertTrue(s.isDone());
    assertEquals(1, follower.calls());
    LogsRequest req = (LogsRequest) leader.requests.get(0);
    assertEquals("t1", req.getTaskId());
    assertTrue(req.getFollow());
    assertEquals(100, req.getTailBytes());
  }

  @Test
  void withoutFollowEndsAfterTheStoredOutputAndReadsStderrWhenAsked() throws Exception {
    FakeCoordinator leader = withTask(fake("n1"));
    leader.appendLog("t1", false, "out\n");
    leader.appendLog("t1", true, "err\n");
    CoordinatorClient client = client(config("n1"));

    client.logs(LogQuery.of("t1").withStderr(true), out::writeBytes).await();

    assertEquals("err\n", text());
  }

  @Test
  void aStreamThatBreaksAfterOutputFailsRatherThanRepeatIt() throws Exception {
    FakeCoordinator leader = withTask(fake("n1"));
    leader.appendLog("t1", false, "a\n");
    CoordinatorClient client = client(config("n1"));

    Subscription s = client.logs(LogQuery.of("t1").following(), out::writeBytes);
    await().until(() -> leader.openStreams() == 1);
    leader.breakStreams(Status.UNAVAILABLE.withDescription("leader stepped down"));

    OagException e = assertThrows(OagException.class, s::await);
    assertTrue(e.getMessage().contains("after 2 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("leader stepped down"), e.getMessage());
    assertEquals(1, leader.calls(), "not asked again");
    assertEquals("a\n", text());
  }

  @Test
  void aFailureBeforeAnyOutputIsRetried() throws Exception {
    FakeCoordinator leader = withTask(fake("n1"))
        .thenFail(Failure.of(Status.UNAVAILABLE.withDescription("no leader yet")));
    leader.appendLog("t1", false, "hello\n");
    CoordinatorClient client = client(config("n1"));

    client.logs(LogQuery.of("t1"), out::writeBytes).await();

    assertEquals("hello\n", text());
    assertEquals(2, leader.calls());
  }

  @Test
  void anUnknownTaskIsNotFound() throws Exception {
    fake("n1");
    CoordinatorClient client = client(config("n1"));

    Subscription s = client.logs(LogQuery.of("t9"), out::writeBytes);

    assertInstanceOf(NotFoundException.class, assertThrows(OagException.class, s::await));
  }

  private static FakeCoordinator withTask(FakeCoordinator f) {
    f.put(Task.newBuilder().setId("t1").build());
    return f;
  }

  private String text() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
