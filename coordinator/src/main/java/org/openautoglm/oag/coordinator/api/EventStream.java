package org.openautoglm.oag.coordinator.api;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.state.AppliedChanges;
import org.openautoglm.oag.coordinator.state.AppliedListener;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.state.v1.EventRecord;

/**
 * One Events call: pages of the event log sent from a cursor (log index,
 * position) on, as fast as the client takes them. Without follow it sends at
 * most {@code limit} events and completes once it has caught up; with follow
 * it waits at the end of the log for the next {@link #wake()} (after each
 * applied batch, see {@link Followers}) until the call is cancelled.
 *
 * <p>Why the loop looks like this: gRPC flow control. A page is read only
 * while the call {@code isReady()}, so a slow client holds back the reading
 * rather than piling events up in memory (at most one page beyond ready is
 * buffered); its onReady callback wakes the stream again. Wake-ups may come
 * from any thread at any time (applies, onReady, the start); a work counter
 * makes exactly one executor task pump at a time and makes it pump again when
 * a wake-up arrived while it was pumping, so none is lost.
 */
final class EventStream {
  static final int PAGE = 256;

  /** The following streams, woken after every applied batch. */
  static final class Followers implements AppliedListener {
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

    @Override
    public void applied(AppliedChanges changes) {
      streams.forEach(EventStream::wake);
    }

    int size() {
      return streams.size();
    }
  }

  private final ServerCallStreamObserver<Event> out;
  private final Supplier<StateStore> store;
  private final Executor executor;
  private final Followers followers;   // null: not following
  private final AtomicInteger wip = new AtomicInteger();
  private long remaining;
  private long afterIndex;
  private int afterPosition;
  private volatile boolean done;

  /**
   * @param sinceIndex events of entries after this index
   * @param limit without follow, the most events to send
   * @param followers where to wait for new events; null to complete on catching up
   */
  EventStream(ServerCallStreamObserver<Event> out, Supplier<StateStore> store, Executor executor,
      long sinceIndex, long limit, Followers followers) {
    this.out = out;
    this.store = store;
    this.executor = executor;
    this.followers = followers;
    this.remaining = limit;
    this.afterIndex = sinceIndex;
    this.afterPosition = -1;  // unsigned: after every event of sinceIndex
  }

  /** Call on the thread that received the call, before returning from it. */
  void start() {
    out.setOnCancelHandler(this::stop);
    out.setOnReadyHandler(this::wake);
    if (followers != null) {
      followers.streams.add(this);
    }
    wake();
  }

  void wake() {
    if (!done && wip.getAndIncrement() == 0) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        stop();  // the server is closing; so is this call
      }
    }
  }

  private void drain() {
    int missed = 1;
    do {
      try {
        pump();
      } catch (RuntimeException e) {
        fail(e);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void pump() {
    while (!done && out.isReady()) {
      int want = followers != null ? PAGE : (int) Math.min(PAGE, remaining);
      if (want == 0) {
        complete();
        return;
      }
      List<EventRecord> page;
      try {
        page = store.get().events(afterIndex, afterPosition, want);
      } catch (CoordinatorException.Overloaded e) {
        if (followers == null) {
          fail(e);
        }
        return;  // a checkpoint is being swapped in: its install wakes every follower afterwards
      }
      for (EventRecord e : page) {
        out.onNext(ApiMapper.toApi(e));
        afterIndex = e.getIndex();
        afterPosition = e.getPosition();
      }
      remaining -= page.size();
      if (page.size() < want) {
        if (followers == null) {
          complete();
        }
        return;  // caught up: the next applied batch wakes a follower
      }
    }
  }

  private void complete() {
    if (!done) {
      stop();
      out.onCompleted();
    }
  }

  private void fail(RuntimeException e) {
    if (!done) {
      stop();
      out.onError(ApiErrors.toStatus(e));
    }
  }

  private void stop() {
    done = true;
    if (followers != null) {
      followers.streams.remove(this);
    }
  }
}
