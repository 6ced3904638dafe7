package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.EventQuery;
import org.openautoglm.oag.client.Subscription;
import org.openautoglm.oag.client.TaskQuery;

/**
 * Times a run's placements from the coordinator's replicated event log: opened before the
 * run, it follows the events of every entry after the leader's applied index at that moment
 * and keeps the first {@code task.submitted} and {@code task.scheduled} time of each task
 * (and the log index of the latter);
 * after the run, {@link #await} waits until every task of the run (found by name prefix) was
 * scheduled and reports a {@link PlacementReport}.
 *
 * <p>Threading: events arrive on the subscription's own thread; {@link #await} blocks its
 * caller, at most for the given timeout. Failures: a cluster that cannot be reached fails
 * {@link #open} and the task listing of {@link #await} with the client's exceptions; a stream
 * that ends for good ends the wait early, with what had arrived. Closing ends the stream and
 * the client it opened.
 */
public final class PlacementWatch implements AutoCloseable {
  static final String SUBMITTED = "task.submitted";
  static final String SCHEDULED = "task.scheduled";
  /** How often a waiting {@link #await} looks whether the stream has ended. */
  private static final long STREAM_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final CoordinatorClient client;
  private final Map<String, Long> submittedAt = new HashMap<>();   // guarded by this
  private final Map<String, Long> scheduledAt = new HashMap<>();   // guarded by this
  private final Map<String, Long> scheduledIndex = new HashMap<>(); // guarded by this
  private final Subscription events;

  private PlacementWatch(CoordinatorClient client, long sinceIndex) {
    this.client = client;
    this.events = client.events(EventQuery.since(sinceIndex).following(), this::record);
  }

  /** Connects with {@code config} and follows the events from the leader's applied index. */
  public static PlacementWatch open(ClientConfig config) {
    CoordinatorClient client = CoordinatorClient.connect(config);
    try {
      return new PlacementWatch(client, appliedIndex(client.clusterStatus()));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The leader's applied index, or 0 (the whole retained log) when there is no leader. */
  static long appliedIndex(ClusterStatus s) {
    return s.getMembersList().stream().filter(m -> m.getId().equals(s.getLeader()))
        .mapToLong(Member::getAppliedIndex).findFirst().orElse(0);
  }

  private synchronized void record(Event e) {
    if (e.getType().equals(SUBMITTED)) {
      submittedAt.putIfAbsent(e.getTaskId(), e.getTimeMs());
    } else if (e.getType().equals(SCHEDULED)) {
      if (scheduledAt.putIfAbsent(e.getTaskId(), e.getTimeMs()) == null) {
        scheduledIndex.put(e.getTaskId(), e.getIndex());
      }
      notifyAll();
    }
  }

  /**
   * Waits until every task whose name starts with {@code namePrefix} has been scheduled, or
   * until {@code timeout} has passed, or the event stream has ended, and reports on those
   * tasks. An interrupt ends the wait at once, with the thread's interrupt flag set.
   */
  public PlacementReport await(String namePrefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> ids = client.listAll(TaskQuery.all().withNamePrefix(namePrefix)
        .withPageSize(1000)).map(Task::getId).toList();
    synchronized (this) {
      long left;
      while (!scheduledAt.keySet().containsAll(ids) && !events.isDone()
          && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, STREAM_CHECK_NANOS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return PlacementReport.of(ids, submittedAt, scheduledAt, scheduledIndex);
    }
  }

  @Override
  public void close() {
    try {
      events.close();
    } finally {
      client.close();
    }
  }
}
