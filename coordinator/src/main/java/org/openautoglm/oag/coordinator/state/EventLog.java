package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.openautoglm.oag.state.v1.EventRecord;

/**
 * Where the retained events are: the rows live in RocksDB's events column
 * family (key: log index, position); memory holds only one run per log index
 * that wrote events, so the retention purge knows which keys are oldest
 * without reading RocksDB, and readers can seek straight past the purged head
 * instead of over its tombstones. Positions within an index are contiguous
 * (0..n-1 as written); only the oldest run may have lost its first few.
 *
 * <p>Threading: apply thread only, except {@link #head()} and {@link #read},
 * which any reader may call.
 */
final class EventLog {

  /** The retained events of one log index: positions {@code first} (inclusive) to {@code end}. */
  record Run(long index, int first, int end) {
    int size() {
      return end - first;
    }
  }

  private final ArrayDeque<Run> runs = new ArrayDeque<>();
  private long total;
  private volatile byte[] head = Keys.eventKey(0, 0);

  /**
   * Up to {@code limit} events strictly after ({@code afterIndex}, {@code afterPosition}),
   * oldest first, read from {@code rocks}; see {@link StateStore#events}.
   */
  List<EventRecord> read(RocksHandles rocks, long afterIndex, int afterPosition, int limit)
      throws IOException {
    if (limit <= 0) {
      return List.of();
    }
    byte[] after = Keys.eventKey(afterIndex, afterPosition);
    byte[] from = Arrays.compareUnsigned(after, head) < 0 ? head : after;
    List<EventRecord> out = new ArrayList<>(Math.min(limit, 256));
    rocks.scanFrom(RocksHandles.EVENTS, from, (key, value) -> {
      if (!Arrays.equals(key, after)) {
        out.add(Records.parse(EventRecord.parser(), value, "event"));
      }
      return out.size() < limit;
    });
    return out;
  }

  /** How many events are retained. */
  long total() {
    return total;
  }

  /** The key of the oldest retained event; a key below every event when there is none yet. */
  byte[] head() {
    return head.clone();
  }

  /** Records a stored event while the store is opened; keys must come in ascending order. */
  void loaded(long index, int position) {
    Run last = runs.peekLast();
    if (last != null && last.index() == index && last.end() == position) {
      runs.pollLast();
      runs.addLast(new Run(index, last.first(), position + 1));
    } else {
      runs.addLast(new Run(index, position, position + 1));
    }
    total++;
    publishHead();
  }

  /** The runs holding the {@code n} oldest events (the last one cut short). Changes nothing. */
  List<Run> oldest(long n) {
    List<Run> out = new ArrayList<>();
    long left = n;
    for (Iterator<Run> it = runs.iterator(); it.hasNext() && left > 0; ) {
      Run run = it.next();
      int take = (int) Math.min(left, run.size());
      out.add(new Run(run.index(), run.first(), run.first() + take));
      left -= take;
    }
    return out;
  }

  /** Forgets the {@code n} oldest events. Apply thread only, once they are deleted in RocksDB. */
  void dropOldest(long n) {
    long left = n;
    byte[] cut = null;
    while (left > 0 && !runs.isEmpty()) {
      Run run = runs.pollFirst();
      int take = (int) Math.min(left, run.size());
      if (take < run.size()) {
        runs.addFirst(new Run(run.index(), run.first() + take, run.end()));
      }
      cut = Keys.eventKey(run.index(), run.first() + take);
      total -= take;
      left -= take;
    }
    if (runs.isEmpty() && cut != null) {
      head = cut;  // nothing retained: everything below the cut is gone
    } else {
      publishHead();
    }
  }

  /** Records a batch's events: positions {@code first} to {@code end} of {@code index}. */
  void append(long index, int first, int end) {
    if (end > first) {
      runs.addLast(new Run(index, first, end));
      total += end - first;
      publishHead();
    }
  }

  private void publishHead() {
    Run first = runs.peekFirst();
    if (first != null) {
      head = Keys.eventKey(first.index(), first.first());
    }
  }
}
