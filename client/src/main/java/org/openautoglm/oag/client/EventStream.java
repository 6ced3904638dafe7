package org.openautoglm.oag.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc.ClusterServiceBlockingStub;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.EventsRequest;

/**
 * One {@code Events} call, delivered exactly once and in order even when the member serving
 * it dies.
 *
 * <p>Why it looks like this: an event is named by (log index, position within the entry's
 * events), and {@code since_index} selects whole entries after an index. So a stream that
 * broke is asked again, at another member, from the last delivered entry's index minus one
 * (an entry may have had more events than were delivered), and every event at or before the
 * last delivered (index, position) is dropped. An attempt that delivered something before it
 * broke, or a follow that stayed open a while, starts a fresh retry budget ({@link
 * RetryLoop#runStream}), so a follow that ran for hours survives a failover; a follow stream
 * that the server ends is resumed the same way, since it has no natural end. A resumed call
 * is served from the new member's applied state: without follow, a lagging member may end
 * the listing earlier than the first would have.
 *
 * <p>Runs on the subscription's thread only.
 */
final class EventStream implements Runnable {
  private final RetryLoop loop;
  private final EventQuery query;
  private final Consumer<Event> sink;
  private long delivered;
  private long lastIndex;
  private int lastPosition;
  private int deliveredAtLastIndex;

  EventStream(RetryLoop loop, EventQuery query, Consumer<Event> sink) {
    this.loop = loop;
    this.query = query;
    this.sink = sink;
  }

  @Override
  public void run() {
    loop.runStream("Events", query.follow(), this::attempt, () -> delivered);
  }

  private Void attempt(ManagedChannel channel, long deadlineNanos, AttemptTracer tracer) {
    ClusterServiceBlockingStub stub =
        ClusterServiceGrpc.newBlockingStub(channel).withInterceptors(tracer);
    ClusterServiceBlockingStub s = query.follow()
        ? stub : stub.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
    EventsRequest req = request();
    boolean open = StreamThread.drain(() -> s.events(req), this::offer);
    if (open && query.follow()) {
      throw Status.UNAVAILABLE.withDescription("the member ended the event stream")
          .asRuntimeException();
    }
    return null;
  }

  private EventsRequest request() {
    if (delivered == 0) {
      return EventsRequest.newBuilder().setSinceIndex(query.sinceIndex())
          .setFollow(query.follow()).setLimit(query.limit()).build();
    }
    // The events of the last entry that were delivered come again and are dropped: they
    // count against the server's limit too.
    int limit = query.follow() || query.limit() == 0 ? query.limit()
        : (int) (query.limit() - delivered + deliveredAtLastIndex);
    return EventsRequest.newBuilder().setSinceIndex(lastIndex - 1)
        .setFollow(query.follow()).setLimit(limit).build();
  }

  /** Delivers {@code e} unless it was delivered before; returns whether to go on. */
  private boolean offer(Event e) {
    boolean seen = delivered > 0 && (e.getIndex() < lastIndex
        || (e.getIndex() == lastIndex && e.getPosition() <= lastPosition));
    if (!seen) {
      sink.accept(e);
      deliveredAtLastIndex = e.getIndex() == lastIndex ? deliveredAtLastIndex + 1 : 1;
      lastIndex = e.getIndex();
      lastPosition = e.getPosition();
      delivered++;
    }
    return query.follow() || query.limit() == 0 || delivered < query.limit();
  }
}
