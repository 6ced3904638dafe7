package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.openautoglm.oag.state.v1.DedupeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/**
 * The changes of one batch not yet committed, layered over the committed
 * state, so each command of a batch sees the effects of the ones before it.
 * Reads look here first, then at the committed views. Nothing committed is
 * touched until {@link #publish()}, which runs only after the batch's
 * WriteBatch is in RocksDB; a batch that fails is simply dropped.
 *
 * <p>Changes are kept sorted (by seq, by dedupe key) so the WriteBatch and
 * the publish run in a deterministic order. Apply thread only.
 */
final class WorkingSet {

  private final TaskViews tasks;
  private final DedupeTable dedupe;
  private final long index;
  private long timeMs;
  private long nextSeq;
  private final TreeMap<Long, TaskRecord> taskChanges = new TreeMap<>();       // null: deleted
  private final TreeMap<String, DedupeRecord> dedupeChanges = new TreeMap<>();  // null: deleted

  WorkingSet(TaskViews tasks, DedupeTable dedupe, long index, long timeMs, long nextSeq) {
    this.tasks = tasks;
    this.dedupe = dedupe;
    this.index = index;
    this.timeMs = timeMs;
    this.nextSeq = Math.max(1, nextSeq);
  }

  /** The log index of the batch: every record changed by it gets this version. */
  long index() {
    return index;
  }

  /** Replicated time now. */
  long timeMs() {
    return timeMs;
  }

  /** Moves replicated time to {@code headerTimeMs} unless that is in the past. */
  void advanceTime(long headerTimeMs) {
    timeMs = Math.max(timeMs, headerTimeMs);
  }

  long nextSeq() {
    return nextSeq;
  }

  long allocateSeq() {
    return nextSeq++;
  }

  /** The task at {@code seq} as this batch sees it, or null. */
  TaskRecord task(long seq) {
    return taskChanges.containsKey(seq) ? taskChanges.get(seq) : tasks.get(seq);
  }

  void putTask(long seq, TaskRecord task) {
    taskChanges.put(seq, task);
  }

  void deleteTask(long seq) {
    taskChanges.put(seq, null);
  }

  /** The dedupe row for {@code key} as this batch sees it, or null. */
  DedupeRecord dedupe(String key) throws IOException {
    return dedupeChanges.containsKey(key) ? dedupeChanges.get(key) : dedupe.committed(key);
  }

  void putDedupe(String key, DedupeRecord row) {
    dedupeChanges.put(key, row);
  }

  /** Deletes every terminal task that finished before {@code cutoffMs}; returns how many. */
  int purgeFinishedBefore(long cutoffMs) {
    int purged = 0;
    for (Iterator<TaskViews.Finished> it = tasks.finishedOldestFirst(); it.hasNext(); ) {
      TaskViews.Finished f = it.next();
      if (f.finishedAtMs() >= cutoffMs) {
        break;
      }
      if (!taskChanges.containsKey(f.seq())) {  // terminal tasks never change; only a purge deletes
        deleteTask(f.seq());
        purged++;
      }
    }
    // Tasks that became terminal in this batch: only if time jumped past the retention within it.
    for (Map.Entry<Long, TaskRecord> e : new TreeMap<>(taskChanges).entrySet()) {
      TaskRecord t = e.getValue();
      if (t != null && TaskStates.isTerminal(t.getStatus()) && t.getFinishedAtMs() < cutoffMs) {
        deleteTask(e.getKey());
        purged++;
      }
    }
    return purged;
  }

  /** Deletes every dedupe row first applied before {@code cutoffMs}; returns how many. */
  int evictDedupeBefore(long cutoffMs) {
    int evicted = 0;
    for (Iterator<DedupeTable.Aged> it = dedupe.oldestFirst(); it.hasNext(); ) {
      DedupeTable.Aged a = it.next();
      if (a.timeMs() >= cutoffMs) {
        break;
      }
      if (!dedupeChanges.containsKey(a.key())) {  // a row rewritten in this batch is judged below
        putDedupe(a.key(), null);
        evicted++;
      }
    }
    for (Map.Entry<String, DedupeRecord> e : new TreeMap<>(dedupeChanges).entrySet()) {
      if (e.getValue() != null && e.getValue().getTimeMs() < cutoffMs) {
        putDedupe(e.getKey(), null);
        evicted++;
      }
    }
    return evicted;
  }

  /** The sorted task changes (null value: deleted). */
  Map<Long, TaskRecord> taskChanges() {
    return taskChanges;
  }

  /** The sorted dedupe changes (null value: deleted). */
  Map<String, DedupeRecord> dedupeChanges() {
    return dedupeChanges;
  }

  /** Makes the changes visible in the committed views. Call only once they are in RocksDB. */
  void publish() {
    for (Map.Entry<Long, TaskRecord> e : taskChanges.entrySet()) {
      if (e.getValue() == null) {
        tasks.remove(e.getKey());
      } else {
        tasks.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, DedupeRecord> e : dedupeChanges.entrySet()) {
      dedupe.publish(e.getKey(), e.getValue());
    }
  }
}
