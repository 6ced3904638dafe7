package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * Every stored task in memory, by sequence number, with secondary indexes by
 * status and by node, what the live allocations use per node, and (for the
 * apply thread only) terminal tasks ordered by finish time for the retention
 * purge.
 *
 * <p>Memory: a task is held as the four fields the list filters and the
 * retention purge need; the record itself stays in RocksDB and is read (from
 * the memtable or block cache) when asked for. Holding the serialized record
 * as well cost about 1.2 KiB of heap per benchmark task, so a few hundred
 * thousand tasks filled a 1 GiB heap; a heap that fills with views means
 * concurrent marking that eats the leader's CPU and then full GC pauses
 * longer than an election timeout.
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

  /** What a task's live allocation takes from its node. */
  record Load(String node, NodeUsage usage) {
    /** The load of {@code task}'s current allocation, or null when it is not live (or the task is null). */
    static Load of(TaskRecord task) {
      if (task == null || !TaskStates.hasLiveAllocation(task)) {
        return null;
      }
      return new Load(task.getAllocation().getNode(), TaskStates.demand(task.getSpec()));
    }

    /** The load of the old allocation of {@code task}'s make-before-break migration, or null. */
    static Load ofOld(TaskRecord task) {
      if (task == null || !task.hasMigration() || !task.getMigration().hasOld()
          || !TaskStates.isLive(task.getMigration().getOld().getStatus())) {
        return null;
      }
      return new Load(task.getMigration().getOld().getNode(), TaskStates.demand(task.getSpec()));
    }
  }

  /**
   * What the filters, the purge, the queue and the node accounting read; the record is in
   * RocksDB. {@code queued}: the task waits for a node (PENDING, or a migration's new instance).
   */
  record Entry(TaskStatus status, String node, String name, long finishedAtMs, Load load, Load oldLoad,
      int priority, boolean queued, long version) {
    static Entry of(TaskRecord task) {
      return new Entry(task.getStatus(), task.getNode(), task.getSpec().getName(), task.getFinishedAtMs(),
          Load.of(task), Load.ofOld(task), task.getSpec().getPriority(),
          task.getStatus() == TaskStatus.PENDING || Migrations.needsNewInstance(task), task.getVersion());
    }

    /** The node of the migration's old allocation, or empty. */
    String oldNode() {
      return oldLoad == null ? "" : oldLoad.node();
    }
  }

  /** A waiting task's place in the wait queue: higher priority first, then first come. */
  record Queued(int priority, long seq) implements Comparable<Queued> {
    @Override
    public int compareTo(Queued o) {
      int c = Integer.compare(o.priority, priority);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Reads the committed record of a task from where it is stored; null when absent. */
  @FunctionalInterface
  interface Reader {
    TaskRecord read(long seq) throws IOException;
  }

  private final Reader reader;
  private final ConcurrentSkipListMap<Long, Entry> bySeq = new ConcurrentSkipListMap<>();
  private final Map<TaskStatus, ConcurrentSkipListSet<Long>> byStatus = new EnumMap<>(TaskStatus.class);
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<Long>> byNode = new ConcurrentHashMap<>();
  private final TreeSet<Finished> finished = new TreeSet<>();  // apply thread only
  private final ConcurrentSkipListSet<Queued> queue = new ConcurrentSkipListSet<>();
  private final AtomicLong count = new AtomicLong();
  private final ConcurrentHashMap<String, NodeUsage> usage = new ConcurrentHashMap<>();

  TaskViews(Reader reader) {
    this.reader = reader;
    // Filled once here and never structurally changed, so concurrent get() is safe.
    for (TaskStatus status : TaskStatus.values()) {
      byStatus.put(status, new ConcurrentSkipListSet<>());
    }
  }

  /**
   * The committed record at {@code seq}, or null when the views do not hold it. A reader
   * racing the apply thread may get a newer version than the views' entry, or null for a
   * task being deleted; both are states the task really had after the read began.
   *
   * @throws UncheckedIOException the store could not be read
   */
  TaskRecord get(long seq) {
    if (!bySeq.containsKey(seq)) {
      return null;
    }
    try {
      return reader.read(seq);
    } catch (IOException e) {
      throw new UncheckedIOException("reading task seq " + seq + " failed", e);
    }
  }

  Entry entry(long seq) {
    return bySeq.get(seq);
  }

  long count() {
    return count.get();
  }

  NavigableSet<Long> seqs() {
    return bySeq.keySet();
  }

  NavigableSet<Long> withStatus(TaskStatus status) {
    return byStatus.get(status);
  }

  /** The tasks waiting for a node, in placement order: higher priority first, then first come. */
  NavigableSet<Queued> queue() {
    return queue;
  }

  NavigableSet<Long> onNode(String node) {
    NavigableSet<Long> seqs = byNode.get(node);
    return seqs != null ? seqs : Collections.emptyNavigableSet();
  }

  /** What the committed live allocations on {@code node} use. */
  NodeUsage used(String node) {
    return usage.getOrDefault(node, NodeUsage.NONE);
  }

  /** Terminal tasks, oldest finish first. Apply thread only; do not modify. */
  Iterator<Finished> finishedOldestFirst() {
    return finished.iterator();
  }

  /** Inserts or replaces the task stored at {@code seq}. Apply thread only, once it is in RocksDB. */
  void put(long seq, TaskRecord task) {
    Entry old = bySeq.get(seq);
    Entry now = Entry.of(task);
    byStatus.get(task.getStatus()).add(seq);
    if (now.queued()) {
      queue.add(new Queued(now.priority(), seq));
    }
    if (!task.getNode().isEmpty()) {
      byNode.computeIfAbsent(task.getNode(), n -> new ConcurrentSkipListSet<>()).add(seq);
    }
    if (!now.oldNode().isEmpty()) {
      byNode.computeIfAbsent(now.oldNode(), n -> new ConcurrentSkipListSet<>()).add(seq);
    }
    bySeq.put(seq, now);
    account(old == null ? null : old.load(), now.load());
    account(old == null ? null : old.oldLoad(), now.oldLoad());
    if (old == null) {
      count.incrementAndGet();
    } else {
      unindex(seq, old, now);
      forgetFinished(seq, old);
    }
    if (TaskStates.isTerminal(task.getStatus())) {
      finished.add(new Finished(task.getFinishedAtMs(), seq));
    }
  }

  /** Removes the task stored at {@code seq}, if any. Apply thread only. */
  void remove(long seq) {
    Entry old = bySeq.remove(seq);
    if (old != null) {
      account(old.load(), null);
      account(old.oldLoad(), null);
      count.decrementAndGet();
      unindex(seq, old, null);
      forgetFinished(seq, old);
    }
  }

  private void account(Load before, Load after) {
    if (before != null) {
      usage.compute(before.node(), (n, u) -> {
        NodeUsage left = (u == null ? NodeUsage.NONE : u).minus(before.usage());
        return left.isNone() ? null : left;
      });
    }
    if (after != null) {
      usage.merge(after.node(), after.usage(), NodeUsage::plus);
    }
  }

  private void forgetFinished(long seq, Entry old) {
    if (TaskStates.isTerminal(old.status())) {
      finished.remove(new Finished(old.finishedAtMs(), seq));
    }
  }

  /** Drops the index entries of {@code old} that {@code now} (null: removed) no longer has. */
  private void unindex(long seq, Entry old, Entry now) {
    if (now == null || now.status() != old.status()) {
      byStatus.get(old.status()).remove(seq);
    }
    if (old.queued() && (now == null || !now.queued() || now.priority() != old.priority())) {
      queue.remove(new Queued(old.priority(), seq));
    }
    for (String node : new String[] {old.node(), old.oldNode()}) {
      if (!node.isEmpty() && (now == null || (!now.node().equals(node) && !now.oldNode().equals(node)))) {
        byNode.computeIfPresent(node, (n, seqs) -> {
          seqs.remove(seq);
          return seqs.isEmpty() ? null : seqs;
        });
      }
    }
  }
}
