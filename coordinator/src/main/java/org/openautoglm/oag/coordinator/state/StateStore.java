package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's replicated state: RocksDB column families for tasks,
 * nodes, the event log, dedupe and meta (plus jobs, empty so far), and
 * in-memory views of the tasks and nodes rebuilt from RocksDB on open.
 *
 * <p><b>Threading.</b> {@link #applyBatch}, {@link #flush} and
 * {@link #checkpoint} are meant for the Raft apply thread (apply calls are
 * serialized anyway); the read methods ({@link #meta}, {@link #task},
 * {@link #listTasks}, {@link #nodes}, {@link #tasksOnNode}, {@link #used},
 * {@link #events}, counts) may be called from any thread at any time, also
 * after {@link #close}, and see each record either before or after a batch,
 * never torn. {@link #meta} is published last, so a reader that sees applied
 * index N also sees every change of entries up to N. {@linkplain
 * #addAppliedListener Applied listeners} run on the apply thread once a
 * batch is published.
 *
 * <p><b>Determinism.</b> {@code applyBatch} is a pure function of (stored
 * state, batch, index): every replica fed the same entries reaches equal
 * state and an equal rolling {@linkplain MetaRecord#getDigest digest}, which
 * replicas can compare at equal applied indexes.
 *
 * <p><b>Durability and failure.</b> RocksDB's WAL is off; the Raft log is the
 * write-ahead log. One batch's changes and its MetaRecord go in one
 * WriteBatch; {@link #flush} makes them durable, and the meta it returns is
 * the index Raft may treat as snapshotted. An {@link IOException} means
 * RocksDB failed and the node must stop; the in-memory views are then still
 * those of the last good batch. A command this build does not understand
 * throws {@link IllegalStateException} before anything changes.
 */
public final class StateStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private final Path dir;
  private final RocksHandles rocks;
  private final TaskViews tasks;
  private final NodeViews nodes = new NodeViews();
  private final EventLog eventLog = new EventLog();
  private final DedupeTable dedupe;
  private final BatchApplier applier;
  private final AppliedListeners listeners = new AppliedListeners();
  private final Object applyMutex = new Object();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();  // write: close
  private volatile MetaRecord meta;
  private volatile boolean closed;

  private StateStore(Path dir, RocksHandles rocks, StoreSettings settings) throws IOException {
    this.dir = dir;
    this.rocks = rocks;
    this.tasks = new TaskViews(seq -> {
      byte[] row = rocks.get(RocksHandles.TASKS, Keys.taskKey(seq));
      return row == null ? null : Records.parse(TaskRecord.parser(), row, "task");
    });
    this.dedupe = new DedupeTable(key -> rocks.get(RocksHandles.DEDUPE, key));
    this.applier = new BatchApplier(CommandDispatcher.STANDARD, settings);
    this.meta = loadMeta(rocks);
    ViewLoader.load(rocks, meta, tasks, dedupe, nodes, eventLog);
  }

  /**
   * Opens (creating if absent) the store at {@code dir}, loads its MetaRecord
   * and rebuilds the views. A checkpoint directory opens like any other.
   */
  public static StateStore open(Path dir, StoreSettings settings) throws IOException {
    Objects.requireNonNull(settings, "settings");
    RocksHandles rocks = RocksHandles.open(dir, settings);
    try {
      StateStore store = new StateStore(dir, rocks, settings);
      MetaRecord m = store.meta;
      LOG.info("event=state_opened dir={} applied_term={} applied_index={} tasks={} nodes={} events={} "
          + "dedupe_rows={} digest={}", dir, m.getAppliedTerm(), m.getAppliedIndex(), store.taskCount(),
          store.nodes.count(), m.getEventCount(), store.dedupeSize(), digestHex(m));
      return store;
    } catch (IOException | RuntimeException e) {
      rocks.close();
      throw e;
    }
  }

  /** Reads the MetaRecord of a store that is not open here (a checkpoint, say). */
  public static MetaRecord readMeta(Path dir) throws IOException {
    try (RocksHandles rocks = RocksHandles.openReadOnly(dir)) {
      return loadMeta(rocks);
    }
  }

  /** Last applied term/index, digest, replicated time, next task seq; the default instance when empty. */
  public MetaRecord meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Applies one Raft entry. Returns null, changing nothing, when {@code index}
   * is at or below the applied index. Otherwise returns one result per
   * command, in order, once the changes and the new meta are written (one
   * WriteBatch, no WAL) and visible in the views.
   *
   * <p>Then, still on the calling thread, tells every {@linkplain #addAppliedListener
   * applied listener}.
   *
   * @param entryBytes the batch's bytes exactly as in the log; they feed the digest
   * @throws IOException RocksDB failed; stop the node
   * @throws IllegalStateException a command this build does not understand and not ignorable
   * @throws IllegalArgumentException {@code term} is below the applied term
   */
  public BatchResult applyBatch(long term, long index, CommandBatch batch, byte[] entryBytes)
      throws IOException {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(entryBytes, "entryBytes");
    AppliedChanges changes;
    BatchResult result;
    synchronized (applyMutex) {
      Lock lock = openLock();
      try {
        MetaRecord before = meta;
        if (index <= before.getAppliedIndex()) {
          LOG.debug("event=entry_skipped term={} index={} applied_index={}", term, index, before.getAppliedIndex());
          return null;
        }
        if (term < before.getAppliedTerm()) {
          throw new IllegalArgumentException("entry " + index + " has term " + term
              + " below the applied term " + before.getAppliedTerm());
        }
        WorkingSet ws = new WorkingSet(tasks, nodes, dedupe, eventLog, index, before.getTimeMs(),
            before.getNextTaskSeq()).withCluster(before.getCluster());
        List<CommandResult> results = applier.apply(ws, term, batch);
        BatchApplier.Expired expired = applier.expire(ws);
        MetaRecord after = before.toBuilder()
            .setAppliedTerm(term)
            .setAppliedIndex(index)
            .setDigest(Records.nextDigest(before.getDigest(), index, entryBytes))
            .setTimeMs(ws.timeMs())
            .setNextTaskSeq(ws.nextSeq())
            .setEventCount(ws.eventCount())
            .setCluster(ws.cluster())
            .build();
        ChangeWriter.write(rocks, ws, after);
        ws.publish();
        meta = after;
        if (expired.tasks() > 0 || expired.dedupeRows() > 0) {
          LOG.info("event=state_expired index={} tasks_purged={} dedupe_rows_evicted={}",
              index, expired.tasks(), expired.dedupeRows());
        }
        LOG.debug("event=batch_applied term={} index={} commands={} tasks_changed={} events={} events_purged={}",
            term, index, results.size(), ws.taskChanges().size(), ws.emittedEvents().size(), expired.events());
        changes = new AppliedChanges(index, ws.touchedNodes(), ws.placementMayHelp());
        result = BatchResult.newBuilder().addAllResults(results).build();
      } finally {
        lock.unlock();
      }
    }
    listeners.tell(changes);
    return result;
  }

  /**
   * Registers {@code listener} to be told after every batch this store applies, on the apply
   * thread (see {@link AppliedListener}).
   */
  public void addAppliedListener(AppliedListener listener) {
    listeners.add(listener);
  }

  public void removeAppliedListener(AppliedListener listener) {
    listeners.remove(listener);
  }

  /**
   * Flushes every column family atomically. Returns a meta whose applied
   * index is now durable (what is on disk may already be a little newer, if
   * a batch landed during the flush), which is what Raft may call snapshotted.
   */
  public MetaRecord flush() throws IOException {
    Lock lock = openLock();
    try {
      MetaRecord durable = meta;  // read before the flush: everything it covers is in the memtables
      rocks.flush();
      LOG.debug("event=state_flushed applied_index={}", durable.getAppliedIndex());
      return durable;
    } finally {
      lock.unlock();
    }
  }

  /** Flushes, then writes a RocksDB checkpoint into {@code target} (which must not exist). */
  public MetaRecord checkpoint(Path target) throws IOException {
    Lock lock = openLock();
    try {
      rocks.flush();
      rocks.checkpoint(target);
    } finally {
      lock.unlock();
    }
    MetaRecord contained = readMeta(target);  // exact even if a batch landed meanwhile
    LOG.info("event=checkpoint_written target={} applied_term={} applied_index={}",
        target, contained.getAppliedTerm(), contained.getAppliedIndex());
    return contained;
  }

  /**
   * The committed task {@code id}, read from RocksDB.
   *
   * @throws CoordinatorException.Overloaded the store was closed (a checkpoint is being swapped
   *     in, or the node is stopping): retry
   */
  public Optional<TaskRecord> task(String id) {
    long seq = Keys.seqOfTaskId(id);
    return seq < 0 ? Optional.empty() : read(() -> Optional.ofNullable(tasks.get(seq)));
  }

  /**
   * One page of tasks in creation order.
   *
   * @throws IllegalArgumentException a malformed page token (the message names {@code page_token})
   */
  public TaskPage listTasks(TaskQuery query) {
    Objects.requireNonNull(query, "query");
    return read(() -> TaskLister.list(tasks, query));
  }

  /** Every registered node, sorted by id. */
  public List<NodeRecord> nodes() {
    return nodes.all();
  }

  /** How many registered nodes are UP; cheap (a counter the views keep). */
  public int upNodeCount() {
    return nodes.upCount();
  }

  public Optional<NodeRecord> node(String id) {
    return Optional.ofNullable(id == null ? null : nodes.get(id));
  }

  /**
   * The node's desired set: the tasks with a live allocation on {@code node} (the current one
   * or a migration's old one: ASSIGNED, ALLOC_RUNNING, BACKOFF, ALLOC_PAUSED), in creation order.
   *
   * @throws CoordinatorException.Overloaded the store was closed: retry
   */
  public List<TaskRecord> tasksOnNode(String node) {
    Objects.requireNonNull(node, "node");
    return read(() -> FleetQueries.tasksOnNode(tasks, node));
  }

  /**
   * The {@linkplain TaskVersion versions} of the tasks {@link #tasksOnNode} returns, from the
   * views alone (read a changed one with {@link #task}: it may no longer be live there).
   *
   * @throws CoordinatorException.Overloaded the store was closed: retry
   */
  public List<TaskVersion> taskVersionsOnNode(String node) {
    Objects.requireNonNull(node, "node");
    return read(() -> FleetQueries.versionsOnNode(tasks, node));
  }

  /** Up to {@code limit} tasks waiting for a node (PENDING, or a migration's new instance), in placement order. */
  public List<TaskRecord> pendingTasks(int limit) {
    return pendingTasks(null, limit);
  }

  /** {@link #pendingTasks(int)} after {@code after} in placement order (null: from the start). */
  public List<TaskRecord> pendingTasks(TaskRecord after, int limit) {
    return read(() -> FleetQueries.pendingTasks(tasks, after, limit));
  }

  /** What {@code node}'s live allocations use, by the accounting placements are checked with. */
  public NodeUsage used(String node) {
    return tasks.used(Objects.requireNonNull(node, "node"));
  }

  /**
   * Up to {@code limit} events strictly after ({@code afterIndex}, {@code afterPosition}),
   * oldest first. Both are compared unsigned, so {@code afterPosition} -1 means after every
   * event of {@code afterIndex}, and (0, 0) means from the oldest retained. Events older than
   * the retention are gone: a reader that fell that far behind resumes at the oldest kept.
   *
   * @throws CoordinatorException.Overloaded the store was closed: retry
   * @throws UncheckedIOException RocksDB could not be read
   */
  public List<EventRecord> events(long afterIndex, int afterPosition, int limit) {
    return read(() -> {
      try {
        return eventLog.read(rocks, afterIndex, afterPosition, limit);
      } catch (IOException e) {
        throw new UncheckedIOException("reading events failed", e);
      }
    });
  }

  public long taskCount() {
    return tasks.count();
  }

  public long dedupeSize() {
    return dedupe.size();
  }

  /** Flushes, then releases every native handle. Idempotent; later reads are refused. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        rocks.flush();
      } catch (IOException e) {
        LOG.warn("event=state_close_flush_failed dir={} error=\"{}\"", dir, e.getMessage());
      }
      rocks.close();
      LOG.info("event=state_closed dir={} applied_index={}", dir, meta.getAppliedIndex());
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private Lock openLock() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    if (closed) {
      lock.unlock();
      throw new IllegalStateException("state store at " + dir + " is closed");
    }
    return lock;
  }

  /** {@link #openLock()} for API reads: a closed store is a retryable refusal, not a bug. */
  private Lock readLock() {
    try {
      return openLock();
    } catch (IllegalStateException e) {
      throw new CoordinatorException.Overloaded("the state store is being replaced or closed; retry");
    }
  }

  /** {@code body} under {@link #readLock()}. */
  private <T> T read(Supplier<T> body) {
    Lock lock = readLock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  private static MetaRecord loadMeta(RocksHandles rocks) throws IOException {
    byte[] row = rocks.get(RocksHandles.META, Keys.META);
    return row == null ? MetaRecord.getDefaultInstance() : Records.parse(MetaRecord.parser(), row, "meta");
  }

  /** Whether {@code id} has the form of an issued task id; cheap, for checking input. */
  public static boolean isTaskId(String id) {
    return Keys.seqOfTaskId(id) >= 0;
  }

  /** Whether {@code token} is a page token {@link #listTasks} accepts ("" = first page). */
  public static boolean isPageToken(String token) {
    try {
      TaskLister.parseToken(token);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The rolling digest of {@code m}, in hex, as every surface shows it. */
  public static String digestHex(MetaRecord m) {
    return HexFormat.of().formatHex(m.getDigest().toByteArray());
  }
}
