package org.openautoglm.oag.coordinator.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Every stored task in memory, by sequence number, with secondary indexes by
 * status and by node, and (for the apply thread only) terminal tasks ordered
 * by finish time for the retention purge.
 *
 * <p>Threading: one writer (the apply thread, after the batch is in RocksDB),
 * any number of concurrent readers. A record is replaced atomically. The
 * secondary indexes may briefly list a seq under both its old and its new
 * key, never under neither: a new index entry is added before the record
 * changes and the old one removed after. Readers therefore re-check every
 * record they reach through an index.
 */
final class TaskViews {

  /** A terminal task's place in the retention order. */
  record Finished(long finishedAtMs, long seq) implements Comparable<Finished> {
    @Override
    public int compareTo(Finished o) {
      int c = Long.compare(finishedAtMs, o.finishedAtMs);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final ConcurrentSkipListMap<Long, TaskRecord> bySeq = new ConcurrentSkipListMap<>();
  private final Map<TaskStatus, ConcurrentSkipListSet<Long>> byStatus = new EnumMap<>(TaskStatus.class);
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<Long>> byNode = new ConcurrentHashMap<>();
  private final TreeSet<Finished> finished = new TreeSet<>();  // apply thread only
  private final AtomicLong count = new AtomicLong();

  TaskViews() {
    // Filled once here and never structurally changed, so concurrent get() is safe.
    for (TaskStatus status : TaskStatus.values()) {
      byStatus.put(status, new ConcurrentSkipListSet<>());
    }
  }

  TaskRecord get(long seq) {
    return bySeq.get(seq);
  }

  long count() {
    return count.get();
  }

  ConcurrentNavigableMap<Long, TaskRecord> bySeq() {
    return bySeq;
  }

  NavigableSet<Long> withStatus(TaskStatus status) {
    return byStatus.get(status);
  }

  NavigableSet<Long> onNode(String node) {
    NavigableSet<Long> seqs = byNode.get(node);
    return seqs != null ? seqs : Collections.emptyNavigableSet();
  }

  /** Terminal tasks, oldest finish first. Apply thread only; do not modify. */
  Iterator<Finished> finishedOldestFirst() {
    return finished.iterator();
  }

  /** Inserts or replaces the task stored at {@code seq}. Apply thread only. */
  void put(long seq, TaskRecord task) {
    TaskRecord old = bySeq.get(seq);
    byStatus.get(task.getStatus()).add(seq);
    if (!task.getNode().isEmpty()) {
      byNode.computeIfAbsent(task.getNode(), n -> new ConcurrentSkipListSet<>()).add(seq);
    }
    bySeq.put(seq, task);
    if (old == null) {
      count.incrementAndGet();
    } else {
      unindex(seq, old, task);
      forgetFinished(seq, old);
    }
    if (TaskStates.isTerminal(task.getStatus())) {
      finished.add(new Finished(task.getFinishedAtMs(), seq));
    }
  }

  /** Removes the task stored at {@code seq}, if any. Apply thread only. */
  void remove(long seq) {
    TaskRecord old = bySeq.remove(seq);
    if (old != null) {
      count.decrementAndGet();
      unindex(seq, old, null);
      forgetFinished(seq, old);
    }
  }

  private void forgetFinished(long seq, TaskRecord old) {
    if (TaskStates.isTerminal(old.getStatus())) {
      finished.remove(new Finished(old.getFinishedAtMs(), seq));
    }
  }

  /** Drops the index entries of {@code old} that {@code now} (null: removed) no longer has. */
  private void unindex(long seq, TaskRecord old, TaskRecord now) {
    if (now == null || now.getStatus() != old.getStatus()) {
      byStatus.get(old.getStatus()).remove(seq);
    }
    String oldNode = old.getNode();
    if (!oldNode.isEmpty() && (now == null || !now.getNode().equals(oldNode))) {
      byNode.computeIfPresent(oldNode, (n, seqs) -> {
        seqs.remove(seq);
        return seqs.isEmpty() ? null : seqs;
      });
    }
  }
}
