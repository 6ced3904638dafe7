package org.openautoglm.oag.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;

class EventsCommandTest extends CliTestSupport {

  @BeforeEach
  void someEvents() {
    fake.addEvent(Event.newBuilder().setIndex(7).setPosition(0).setTimeMs(1_700_000_000_000L)
        .setType("TASK_PLACED").setTaskId("t1").setAllocationId("a1").setNode("w1")
        .setMessage("placed on w1").build());
    fake.addEvent(Event.newBuilder().setIndex(12).setPosition(0).setTimeMs(1_700_000_000_250L)
        .setType("NODE_DOWN").setNode("w2").setMessage("missed heartbeats").build());
  }

  @Test
  void printsOneLinePerEvent() {
    Result r = oag("events");

    assertEquals(0, r.exit(), r.err());
    assertEquals(List.of(
        "2023-11-14T22:13:20.000Z       7  TASK_PLACED         task=t1 alloc=a1 node=w1  placed on w1",
        "2023-11-14T22:13:20.250Z      12  NODE_DOWN           node=w2  missed heartbeats"),
        List.of(r.out().split("\n")));
  }

  @Test
  void sinceAndLimitArePassedOn() {
    Result r = oag("events", "--since", "7", "--limit", "5");

    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.out().split("\n").length, r.out());
    EventsRequest req = (EventsRequest) fake.requests.get(0);
    assertEquals(7, req.getSinceIndex());
    assertEquals(5, req.getLimit());
    assertFalse(req.getFollow());
  }

  @Test
  void jsonIsOneObjectPerLine() throws Exception {
    Result r = oag("events", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    JsonNode j = new ObjectMapper().readTree(lines[0]);
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("index", "position", "time", "type", "taskId", "allocationId", "node",
        "message"), names);
    assertEquals("2023-11-14T22:13:20Z", j.get("time").asText());
    assertTrue(new ObjectMapper().readTree(lines[1]).get("taskId").isNull());
  }

  @Test
  void followPrintsNewEventsUntilInterrupted() throws Exception {
    Running run = oagInBackground("events", "--follow", "-o", "json");
    await().until(() -> fake.openStreams() == 1);
    fake.addEvent(Event.newBuilder().setIndex(13).setType("TASK_STARTED").setTaskId("t1")
        .build());
    await().until(() -> run.out().split("\n").length == 3);

    Result r = run.interruptAndJoin();

    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    assertTrue(((EventsRequest) fake.requests.get(0)).getFollow());
    await().until(() -> fake.openStreams() == 0);
  }

  @Test
  void badValuesAreUsageErrors() {
    for (String[] args : List.of(new String[] {"events", "--since", "-1"},
        new String[] {"events", "--since", "x"}, new String[] {"events", "--limit", "-3"},
        new String[] {"events", "--follow", "--limit", "3"})) {
      Result r = oag(args);

      assertEquals(2, r.exit(), String.join(" ", args) + " -> " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().contains(args[args.length - 2]), r.err());
    }
    assertTrue(fake.requests.isEmpty());
  }
}
