package org.openautoglm.oag.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;
import org.openautoglm.oag.client.testing.FakeCoordinator;
import org.openautoglm.oag.client.testing.FakeCoordinator.Failure;

class EventStreamTest extends ClientTestSupport {
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @Test
  void withoutFollowDeliversInOrderUpToTheLimit() throws Exception {
    FakeCoordinator n1 = withLog(fake("n1"), 1, 2, 3, 4, 5);
    CoordinatorClient client = client(config("n1"));

    List<Event> events = client.events(1, 3);

    assertEquals(List.of(2L, 3L, 4L), events.stream().map(Event::getIndex).toList());
    EventsRequest req = (EventsRequest) n1.requests.get(0);
    assertEquals(1, req.getSinceIndex());
    assertEquals(3, req.getLimit());
  }

  @Test
  void aBrokenFollowResumesAtAnotherMemberFromTheLastDeliveredEvent() throws Exception {
    // Entry 4 has two events; n1 dies between them.
    FakeCoordinator n1 = withEntries(fake("n1"))
        .breakStreamsAfter(2, Status.UNAVAILABLE.withDescription("member shutting down"));
    FakeCoordinator n2 = withEntries(fake("n2"));
    CoordinatorClient client = client(config("n1", "n2"));

    try (Subscription s = client.events(EventQuery.all().following(), this::record)) {
      await().until(() -> seen.size() == 4);
      n2.addEvent(event(6, 0));
      await().until(() -> seen.size() == 5);
      assertEquals(List.of("3.0", "4.0", "4.1", "5.0", "6.0"), seen);
      EventsRequest resumed = (EventsRequest) n2.requests.get(0);
      assertEquals(3, resumed.getSinceIndex(), "asks again for the whole of entry 4");
      assertTrue(resumed.getFollow());
      assertEquals(1, n1.calls());
      assertTrue(!s.isDone());
    }
    await().until(() -> n2.openStreams() == 0);
  }

  @Test
  void aFollowSurvivesItsMemberDying() throws Exception {
    FakeCoordinator n1 = withLog(fake("n1"), 1, 2, 3);
    FakeCoordinator n2 = withLog(fake("n2"), 1, 2, 3);
    CoordinatorClient client = client(config("n1", "n2"));

    try (Subscription s = client.events(EventQuery.all().following(), this::record)) {
      await().until(() -> seen.size() == 3);
      n1.shutdownNow();
      n2.addEvent(event(4, 0));
      await().until(() -> seen.size() == 4);
    }
    assertEquals(List.of("1.0", "2.0", "3.0", "4.0"), seen);
  }

  @Test
  void aFollowIdleForLongerThanTheBudgetStillResumes() throws Exception {
    FakeCoordinator n1 = fake("n1");
    FakeCoordinator n2 = fake("n2");
    CoordinatorClient client = client(config("n1", "n2").retryBudget(Duration.ofSeconds(5)));

    try (Subscription s = client.events(EventQuery.all().following(), this::record)) {
      await().until(() -> n1.openStreams() == 1);
      ticker.sleep(Duration.ofMinutes(10));
      n1.breakStreams(Status.UNAVAILABLE.withDescription("member died"));
      n2.addEvent(event(1, 0));
      await().until(() -> seen.size() == 1);
      assertTrue(!s.isDone());
    }
  }

  @Test
  void aResumedListingKeepsToTheLimit() throws Exception {
    withEntries(fake("n1")).breakStreamsAfter(2, Status.UNAVAILABLE);
    FakeCoordinator n2 = withEntries(fake("n2"));
    CoordinatorClient client = client(config("n1", "n2"));

    List<Event> events = client.events(0, 3);

    assertEquals(List.of(3L, 4L, 4L), events.stream().map(Event::getIndex).toList());
    EventsRequest resumed = (EventsRequest) n2.requests.get(0);
    assertEquals(3, resumed.getSinceIndex());
    assertEquals(2, resumed.getLimit(), "one left, plus the one of entry 4 asked for again");
  }

  @Test
  void closeEndsAFollowQuietly() throws Exception {
    FakeCoordinator n1 = withLog(fake("n1"), 1);
    CoordinatorClient client = client(config("n1"));

    Subscription s = client.events(EventQuery.all().following(), this::record);
    await().until(() -> n1.openStreams() == 1);
    s.close();

    assertTrue(s.isDone());
    s.await();
    n1.addEvent(event(2, 0));
    assertEquals(List.of("1.0"), seen);
    await().until(() -> n1.openStreams() == 0);
  }

  @Test
  void anAnswerARetryCannotChangeFailsTheSubscription() throws Exception {
    fake("n1").alwaysFail(Failure.of(Status.INVALID_ARGUMENT.withDescription("bad since")));
    CoordinatorClient client = client(config("n1"));

    Subscription s = client.events(EventQuery.since(7).following(), this::record);

    assertThrows(InvalidArgumentException.class, s::await);
  }

  private void record(Event e) {
    seen.add(e.getIndex() + "." + e.getPosition());
  }

  private static FakeCoordinator withLog(FakeCoordinator f, long... indexes) {
    for (long i : indexes) {
      f.addEvent(event(i, 0));
    }
    return f;
  }

  private static FakeCoordinator withEntries(FakeCoordinator f) {
    f.addEvent(event(3, 0));
    f.addEvent(event(4, 0));
    f.addEvent(event(4, 1));
    f.addEvent(event(5, 0));
    return f;
  }

  static Event event(long index, int position) {
    return Event.newBuilder().setIndex(index).setPosition(position)
        .setTimeMs(1_700_000_000_000L + index).setType("TASK_PLACED").setTaskId("t" + index)
        .setMessage("entry " + index).build();
  }
}
