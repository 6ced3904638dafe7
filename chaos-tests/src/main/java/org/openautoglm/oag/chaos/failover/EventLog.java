package org.openautoglm.oag.chaos.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.client.CoordinatorClient;

/**
 * The cluster's event log, kept beside a run's other evidence: one line per event (index,
 * replicated time, type, task, allocation, node, message), as {@code oag events} prints it.
 */
public final class EventLog {
  /** Bounds the copy: a failover round makes a few dozen events. */
  private static final int MAX_PAGES = 200;
  private static final int PAGE = 1000;

  private EventLog() {}

  /** Every retained event, oldest first (at most {@value #MAX_PAGES} pages of {@value #PAGE}). */
  public static List<Event> all(CoordinatorClient client) {
    return since(client, 0);
  }

  /**
   * The events of log entries after {@code index}, oldest first (at most {@value #MAX_PAGES}
   * pages of {@value #PAGE}).
   */
  public static List<Event> since(CoordinatorClient client, long index) {
    List<Event> out = new ArrayList<>();
    long since = index;
    for (int page = 0; page < MAX_PAGES; page++) {
      List<Event> got = client.events(since, PAGE);
      out.addAll(got);
      if (got.size() < PAGE) {
        break;
      }
      // A page ends at an entry's boundary only by chance: ask again from its last complete entry.
      long last = got.get(got.size() - 1).getIndex();
      out.removeIf(e -> e.getIndex() == last);
      since = last - 1;
    }
    return out;
  }

  /** The highest log index any coordinator has applied: events after it are yet to come. */
  public static long appliedIndex(CoordinatorClient client) {
    return client.clusterStatus().getMembersList().stream().mapToLong(m -> m.getAppliedIndex()).max().orElse(0);
  }

  /** Writes {@link #all} to {@code file}, one line per event. */
  public static void write(CoordinatorClient client, Path file) throws IOException {
    List<String> lines = all(client).stream().map(EventLog::line).toList();
    Files.write(file, lines);
  }

  static String line(Event e) {
    return e.getIndex() + "." + e.getPosition() + " " + Instant.ofEpochMilli(e.getTimeMs()) + " " + e.getType()
        + (e.getTaskId().isEmpty() ? "" : " task=" + e.getTaskId())
        + (e.getAllocationId().isEmpty() ? "" : " alloc=" + e.getAllocationId())
        + (e.getNode().isEmpty() ? "" : " node=" + e.getNode()) + " " + e.getMessage();
  }
}
