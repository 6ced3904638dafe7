package org.openautoglm.oag.chaos.rebalance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openautoglm.oag.api.v1.Event;

/**
 * One migration the rebalancer began, read off the event log: its {@code task.migrating}
 * event (message {@code migrating off FROM (rebalance): ...}) and, once it ended, the {@code
 * task.migrated} one ({@code moved off FROM to TO (rebalance)}). Times are the coordinators'
 * replicated (leader-stamped) times.
 *
 * @param to the node it went to; empty while it has not ended
 * @param migratedAtMs when it ended; 0 while it has not
 */
public record Move(String taskId, String from, String to, long index, long migratingAtMs, long migratedAtMs) {
  static final String MIGRATING = "task.migrating";
  static final String MIGRATED = "task.migrated";
  private static final String REASON = "(rebalance)";
  private static final Pattern MOVED = Pattern.compile("moved off (\\S+) to (\\S+) \\(rebalance\\)");

  /** Whether {@code e} is a {@code task.migrating} event of the rebalancer. */
  public static boolean begun(Event e) {
    return e.getType().equals(MIGRATING) && e.getMessage().contains(REASON);
  }

  /** The rebalancer's migrations among {@code events} (oldest first), each with its end when it is there. */
  public static List<Move> of(List<Event> events) {
    Map<String, Move> open = new LinkedHashMap<>();
    List<Move> out = new ArrayList<>();
    for (Event e : events) {
      if (begun(e)) {
        Move m = new Move(e.getTaskId(), e.getNode(), "", e.getIndex(), e.getTimeMs(), 0);
        open.put(e.getTaskId(), m);
        out.add(m);
        continue;
      }
      Matcher moved = MOVED.matcher(e.getMessage());
      Move m = open.get(e.getTaskId());
      if (e.getType().equals(MIGRATED) && m != null && moved.find()) {
        open.remove(e.getTaskId());
        out.set(out.indexOf(m), new Move(m.taskId, m.from, moved.group(2), m.index, m.migratingAtMs, e.getTimeMs()));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return taskId + " " + from + "->" + (to.isEmpty() ? "?" : to)
        + (migratedAtMs > 0 ? " in " + (migratedAtMs - migratingAtMs) + " ms" : " (under way)");
  }
}
