package org.openautoglm.oag.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.LogsRequest;
import org.openautoglm.oag.api.v1.Task;

class TaskLogsTest extends CliTestSupport {

  @BeforeEach
  void aTaskWithOutput() {
    fake.put(Task.newBuilder().setId("t1").build());
    fake.appendLog("t1", false, "line 1\n");
    fake.appendLog("t1", false, "line 2 ünïcode\n");
    fake.appendLog("t1", true, "warning\n");
  }

  @Test
  void printsTheOutputAsItCameAndEnds() {
    Result r = oag("task", "logs", "t1");

    assertEquals(0, r.exit(), r.err());
    assertEquals("line 1\nline 2 ünïcode\n", r.out());
    assertEquals("", r.err());
    LogsRequest req = (LogsRequest) fake.requests.get(0);
    assertEquals(0, req.getTailBytes(), "the server's default");
  }

  @Test
  void stderrAndTailArePassedOn() {
    Result r = oag("task", "logs", "t1", "--stderr", "--tail", "64Ki");

    assertEquals(0, r.exit(), r.err());
    assertEquals("warning\n", r.out());
    LogsRequest req = (LogsRequest) fake.requests.get(0);
    assertTrue(req.getStderr());
    assertEquals(65536, req.getTailBytes());
  }

  @Test
  void followPrintsNewOutputUntilTheAllocationEnds() throws Exception {
    Running run = oagInBackground("task", "logs", "t1", "-f");
    await().until(() -> fake.openStreams() == 1);
    fake.appendLog("t1", false, "line 3\n");
    await().until(() -> run.out().endsWith("line 3\n"));
    fake.endLogs("t1");

    Result r = run.join();

    assertEquals(0, r.exit(), r.err());
    assertEquals("line 1\nline 2 ünïcode\nline 3\n", r.out());
    assertTrue(((LogsRequest) fake.requests.get(0)).getFollow());
  }

  @Test
  void anInterruptEndsAFollowCleanly() throws Exception {
    Running run = oagInBackground("task", "logs", "t1", "--follow");
    await().until(() -> run.out().endsWith("ünïcode\n"));

    Result r = run.interruptAndJoin();

    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    await().until(() -> fake.openStreams() == 0);
  }

  @Test
  void aStreamBrokenMidwayIsExitOneWithOneLine() throws Exception {
    Running run = oagInBackground("task", "logs", "t1", "--follow");
    await().until(() -> fake.openStreams() == 1);
    fake.breakStreams(Status.UNAVAILABLE.withDescription("leader stepped down"));

    Result r = run.join();

    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("may be incomplete"), r.err());
  }

  @Test
  void anUnknownTaskIsExitOne() {
    Result r = oag("task", "logs", "t9");

    assertEquals(1, r.exit());
    assertEquals("oag: task t9 not found\n", r.err());
  }

  @Test
  void badTailIsAUsageError() {
    for (String tail : new String[] {"0", "lots", "-5", "1Ti"}) {
      Result r = oag("task", "logs", "t1", "--tail", tail);

      assertEquals(2, r.exit(), tail + " -> " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().contains("--tail"), r.err());
    }
    assertTrue(fake.requests.isEmpty());
  }
}
