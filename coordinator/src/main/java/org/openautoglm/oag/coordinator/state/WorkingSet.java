package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openautoglm.oag.state.v1.ClusterRecord;
import org.openautoglm.oag.state.v1.DedupeRecord;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/**
 * The changes of one batch not yet committed, layered over the committed
 * state, so each command of a batch sees the effects of the ones before it.
 * Reads look here first, then at the committed views. Nothing committed is
 * touched until {@link #publish()}, which runs only after the batch's
 * WriteBatch is in RocksDB; a batch that fails is simply dropped.
 *
 * <p>Changes are kept sorted (by seq, by dedupe key, by node id) and events
 * in the order they were emitted, so the WriteBatch and the publish run in a
 * deterministic order. Alongside, it keeps what the batch did to each node's
 * accounting (so a placement sees the ones before it) and what the apply
 * listeners are told: the nodes whose desired set may have changed, and
 * whether a placement may now succeed. Apply thread only.
 */
final class WorkingSet {

  private final TaskViews tasks;
  private final NodeViews nodes;
  private final DedupeTable dedupe;
  private final EventLog eventLog;
  private final long index;
  private long timeMs;
  private long nextSeq;
  private final TreeMap<Long, TaskRecord> taskChanges = new TreeMap<>();       // null: deleted
  private final TreeMap<String, DedupeRecord> dedupeChanges = new TreeMap<>();  // null: deleted
  private final TreeMap<String, NodeRecord> nodeChanges = new TreeMap<>();
  private final Map<String, NodeUsage> usageChanges = new HashMap<>();  // looked up, never iterated
  private final List<EventRecord> events = new ArrayList<>();
  private List<EventLog.Run> purgedEvents = List.of();
  private long purgedEventCount;   // of those committed before this batch
  private int unwrittenEvents;     // this batch's first events, purged before they were written
  private final TreeSet<String> touchedNodes = new TreeSet<>();
  private boolean placementMayHelp;
  private ClusterRecord cluster = ClusterRecord.getDefaultInstance();

  /** A working set over tasks and dedupe rows only, with no nodes and no events yet. */
  WorkingSet(TaskViews tasks, DedupeTable dedupe, long index, long timeMs, long nextSeq) {
    this(tasks, new NodeViews(), dedupe, new EventLog(), index, timeMs, nextSeq);
  }

  WorkingSet(TaskViews tasks, NodeViews nodes, DedupeTable dedupe, EventLog eventLog, long index,
      long timeMs, long nextSeq) {
    this.tasks = tasks;
    this.nodes = nodes;
    this.dedupe = dedupe;
    this.eventLog = eventLog;
    this.index = index;
    this.timeMs = timeMs;
    this.nextSeq = Math.max(1, nextSeq);
  }

  /** Starts from the committed cluster record (settings and storm guard). */
  WorkingSet withCluster(ClusterRecord committed) {
    this.cluster = committed;
    return this;
  }

  /** Cluster-wide settings and state as this batch sees them; written with the batch's meta. */
  ClusterRecord cluster() {
    return cluster;
  }

  void putCluster(ClusterRecord cluster) {
    this.cluster = cluster;
  }

  FailoverSettings failover() {
    return FailoverSettings.of(cluster.getFailover());
  }

  /**
   * The tasks that may have a live allocation on {@code node}, as this batch sees them
   * (committed ones indexed there and this batch's changes placed there): a superset, so
   * check each record's allocation.
   */
  List<Long> taskSeqsOnNode(String node) {
    TreeSet<Long> seqs = new TreeSet<>(tasks.onNode(node));
    for (Map.Entry<Long, TaskRecord> change : taskChanges.entrySet()) {
      TaskRecord t = change.getValue();
      if (t != null && (t.getNode().equals(node) || t.getAllocation().getNode().equals(node))) {
        seqs.add(change.getKey());
      }
    }
    return List.copyOf(seqs);
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
    noteTaskChange(entry(seq), TaskViews.Entry.of(task));
    taskChanges.put(seq, task);
  }

  void deleteTask(long seq) {
    noteTaskChange(entry(seq), null);
    taskChanges.put(seq, null);
  }

  /** The view entry of the task at {@code seq} as this batch sees it, without reading RocksDB. */
  private TaskViews.Entry entry(long seq) {
    if (taskChanges.containsKey(seq)) {
      TaskRecord changed = taskChanges.get(seq);
      return changed == null ? null : TaskViews.Entry.of(changed);
    }
    return tasks.entry(seq);
  }

  /** Keeps the node accounting and what the listeners are told in step with a task change. */
  private void noteTaskChange(TaskViews.Entry before, TaskViews.Entry after) {
    TaskViews.Load was = before == null ? null : before.load();
    TaskViews.Load is = after == null ? null : after.load();
    for (TaskViews.Load gone : new TaskViews.Load[] {was, before == null ? null : before.oldLoad()}) {
      if (gone != null) {
        usageChanges.merge(gone.node(), NodeUsage.NONE.minus(gone.usage()), NodeUsage::plus);
      }
    }
    for (TaskViews.Load taken : new TaskViews.Load[] {is, after == null ? null : after.oldLoad()}) {
      if (taken != null) {
        usageChanges.merge(taken.node(), taken.usage(), NodeUsage::plus);
      }
    }
    if (after == null && was == null) {
      return;  // a purged finished task: no node's desired set had it
    }
    touchNodesOf(before);
    touchNodesOf(after);
    boolean becameQueued = after != null && after.queued() && (before == null || !before.queued());
    boolean freed = (was != null && is == null) || (before != null && before.oldLoad() != null
        && (after == null || after.oldLoad() == null));
    if (becameQueued || freed) {
      placementMayHelp = true;
    }
  }

  private void touchNodesOf(TaskViews.Entry task) {
    if (task == null) {
      return;
    }
    if (!task.node().isEmpty()) {
      touchedNodes.add(task.node());
    }
    if (task.load() != null) {
      touchedNodes.add(task.load().node());
    }
    if (!task.oldNode().isEmpty()) {
      touchedNodes.add(task.oldNode());
    }
  }

  /** What the live allocations on {@code node} use, as this batch sees it. */
  NodeUsage used(String node) {
    NodeUsage delta = usageChanges.get(node);
    NodeUsage committed = tasks.used(node);
    return delta == null ? committed : committed.plus(delta);
  }

  /** The node {@code id} as this batch sees it, or null. */
  NodeRecord node(String id) {
    NodeRecord changed = nodeChanges.get(id);
    return changed != null ? changed : nodes.get(id);
  }

  void putNode(NodeRecord node) {
    nodeChanges.put(node.getId(), node);
    touchedNodes.add(node.getId());
    placementMayHelp = true;
  }

  /**
   * Appends an event of this batch: its index is the batch's, its position the next one,
   * its time replicated time now.
   */
  void emit(EventRecord.Builder event) {
    events.add(event.setIndex(index).setPosition(events.size()).setTimeMs(timeMs).build());
  }

  /**
   * Deletes the oldest events beyond {@code retention}, counting this batch's; returns how
   * many. The batch's own oldest go unwritten when even they are too many.
   */
  long purgeEventsBeyond(long retention) {
    long excess = eventLog.total() + events.size() - retention;
    if (excess <= 0) {
      return 0;
    }
    purgedEventCount = Math.min(excess, eventLog.total());
    purgedEvents = eventLog.oldest(purgedEventCount);
    unwrittenEvents = (int) (excess - purgedEventCount);
    return excess;
  }

  /** The events this batch writes, in order. */
  List<EventRecord> newEvents() {
    return events.subList(unwrittenEvents, events.size());
  }

  /** Every event this batch emitted, including any purged before being written. */
  List<EventRecord> emittedEvents() {
    return events;
  }

  /** The runs of committed events this batch deletes. */
  List<EventLog.Run> purgedEvents() {
    return purgedEvents;
  }

  /** How many events are retained once this batch is committed. */
  long eventCount() {
    return eventLog.total() - purgedEventCount + newEvents().size();
  }

  /** Nodes whose desired set may have changed, sorted. */
  Set<String> touchedNodes() {
    return touchedNodes;
  }

  /** Whether a task became pending, capacity was freed or a node joined or changed. */
  boolean placementMayHelp() {
    return placementMayHelp;
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

  /** The sorted node changes. */
  Map<String, NodeRecord> nodeChanges() {
    return nodeChanges;
  }

  /** Makes the changes visible in the committed views. Call only once they are in RocksDB. */
  void publish() {
    for (NodeRecord node : nodeChanges.values()) {
      nodes.put(node);
    }
    eventLog.dropOldest(purgedEventCount);
    eventLog.append(index, unwrittenEvents, events.size());
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
