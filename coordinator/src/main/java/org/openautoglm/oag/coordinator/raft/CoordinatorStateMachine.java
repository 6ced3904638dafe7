package org.openautoglm.oag.coordinator.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.state.CommandValidator;
import org.openautoglm.oag.coordinator.state.AppliedChanges;
import org.openautoglm.oag.coordinator.state.AppliedListener;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.coordinator.state.StoreSettings;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine over the RocksDB {@link StateStore}.
 *
 * <p>Contract: entries are applied one at a time on Ratis's updater thread, in
 * index order; each apply writes one RocksDB batch (WAL off: the Raft log is
 * the write-ahead log) and completes its future only after the store's views
 * show the entry. The snapshot reported to Ratis is the (term, index) that
 * RocksDB has durably flushed, so log purging never drops an entry whose
 * effect could still be lost; anything later is replayed, and the store skips
 * entries at or below its own applied index, so nothing applies twice.
 *
 * <p>Snapshots are never shipped by Ratis (install-by-files is off): a
 * follower that fell behind the leader's purged log is notified, fetches a
 * fresh RocksDB checkpoint over our own gRPC ({@link CheckpointSource}),
 * and swaps it in while Ratis has the state machine paused.
 *
 * <p>Apply listeners ({@link #addApplyListener}) are told after every applied
 * batch, on the updater thread, and outlive a checkpoint install: the new
 * store feeds the same listeners, and right after the swap they are told that
 * every node (of the old and the new store) may have changed and that
 * placement may help, since anything may have.
 *
 * <p>An I/O failure in apply is fatal: the store may no longer match the
 * log, so {@code onFatal} is told and the node must stop. So is a failed
 * Raft log write (a full disk, say): Ratis then never writes its log again,
 * even once there is room, and the node would linger as a member that can
 * neither vote for new entries nor catch up; stopping lets a supervisor see
 * it and restart it.
 */
final class CoordinatorStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorStateMachine.class);

  private final String nodeId;
  private final Path stateDir;
  private final StoreSettings settings;
  private final CheckpointSource checkpoints;
  private final Consumer<Throwable> onFatal;
  private final RaftEvents events;
  private final AtomicLong snapshotInstalls = new AtomicLong();
  private final ExecutorService installExecutor;
  private final List<AppliedListener> applyListeners = new CopyOnWriteArrayList<>();

  private volatile StateStore store;
  /** Set by the first failed apply: nothing applies after it, nothing is flushed. */
  private volatile Throwable failed;
  private volatile TermIndex durable;
  private volatile MetaRecord stagedInstall;

  CoordinatorStateMachine(String nodeId, Path stateDir, StoreSettings settings,
      CheckpointSource checkpoints, RaftEvents events, Consumer<Throwable> onFatal) {
    this.nodeId = nodeId;
    this.stateDir = stateDir;
    this.settings = settings;
    this.checkpoints = checkpoints;
    this.events = events;
    this.onFatal = onFatal;
    this.installExecutor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "oag-install-" + nodeId);
      t.setDaemon(true);
      return t;
    });
  }

  StateStore store() {
    return store;
  }

  long snapshotInstalls() {
    return snapshotInstalls.get();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    getLifeCycle().startAndTransition(() -> {
      CheckpointDirs.recoverInterruptedSwap(stateDir);
      openStore();
    }, IOException.class);
  }

  void addApplyListener(AppliedListener listener) {
    applyListeners.add(listener);
  }

  void removeApplyListener(AppliedListener listener) {
    applyListeners.remove(listener);
  }

  private void fanOut(AppliedChanges changes) {
    for (AppliedListener listener : applyListeners) {
      try {
        listener.applied(changes);
      } catch (RuntimeException e) {
        LOG.warn("event=apply_listener_failed node={} index={}", nodeId, changes.index(), e);
      }
    }
  }

  private void openStore() throws IOException {
    store = StateStore.open(stateDir, settings);
    store.addAppliedListener(this::fanOut);
    MetaRecord meta = store.meta();
    durable = TermIndex.valueOf(meta.getAppliedTerm(), meta.getAppliedIndex());
    setLastAppliedTermIndex(durable);
    LOG.info("event=store_opened node={} applied_term={} applied_index={}", nodeId,
        meta.getAppliedTerm(), meta.getAppliedIndex());
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    TermIndex ti = durable;
    if (ti == null || ti.getIndex() <= 0) {
      return null;
    }
    return new SnapshotInfo() {
      @Override
      public TermIndex getTermIndex() {
        return ti;
      }

      @Override
      public List<FileInfo> getFiles() {
        return List.of();
      }
    };
  }

  /** Leader side: rejects malformed batches before they reach the log. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ByteString data = request.getMessage().getContent();
    CommandBatch batch = parse(data.toByteArray());
    for (Command command : batch.getCommandsList()) {
      Optional<CommandValidator.Violation> bad = CommandValidator.validate(command);
      if (bad.isPresent()) {
        // Ratis answers with StateMachineException(cause); nothing reaches the log.
        TransactionContext refused = TransactionContext.newBuilder()
            .setStateMachine(this).setClientRequest(request).build();
        refused.setException(new CoordinatorException.InvalidArgument(bad.get().field(), bad.get().message()));
        return refused;
      }
    }
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(data)
        .setStateMachineContext(batch)
        .build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    if (failed != null) {
      // The store may be missing an earlier entry: applying more would only diverge further.
      return CompletableFuture.failedFuture(failed);
    }
    try {
      byte[] bytes = entry.getStateMachineLogEntry().getLogData().toByteArray();
      Object ctx = trx.getStateMachineContext();
      CommandBatch batch = ctx instanceof CommandBatch b ? b : parse(bytes);
      long started = System.nanoTime();
      BatchResult result = store.applyBatch(entry.getTerm(), entry.getIndex(), batch, bytes);
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      events.applied(entry.getIndex(), batch.getCommandsCount(), System.nanoTime() - started);
      Message reply = result == null
          ? Message.EMPTY
          : Message.valueOf(ByteString.copyFrom(result.toByteArray()));
      return CompletableFuture.completedFuture(reply);
    } catch (IOException | RuntimeException e) {
      LOG.error("event=apply_failed node={} index={} fatal=true", nodeId, entry.getIndex(), e);
      failed = e;
      onFatal.accept(e);
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CommandBatch parse(byte[] bytes) throws InvalidProtocolBufferException {
    return CommandBatch.parseFrom(bytes);
  }

  /** Reads are served from the store's views once Ratis has done the ReadIndex; the query is a barrier. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetaRecord meta = store.flush();
    if (meta.getAppliedIndex() <= 0) {
      return -1;
    }
    durable = TermIndex.valueOf(meta.getAppliedTerm(), meta.getAppliedIndex());
    LOG.info("event=snapshot node={} term={} index={}", nodeId, meta.getAppliedTerm(), meta.getAppliedIndex());
    return meta.getAppliedIndex();
  }

  @Override
  public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(
      RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
    String leader = roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
    LOG.info("event=install_requested node={} leader={} leader_first_index={}", nodeId, leader,
        firstTermIndexInLog.getIndex());
    return CompletableFuture.supplyAsync(() -> {
      try {
        MetaRecord meta = checkpoints.fetch(leader, incomingDir());
        if (meta.getAppliedIndex() + 1 < firstTermIndexInLog.getIndex()) {
          throw new IOException("checkpoint at index " + meta.getAppliedIndex()
              + " is older than the leader's first log index " + firstTermIndexInLog.getIndex());
        }
        stagedInstall = meta;
        return TermIndex.valueOf(meta.getAppliedTerm(), meta.getAppliedIndex());
      } catch (IOException e) {
        LOG.warn("event=install_failed node={} leader={} reason={}", nodeId, leader, e.toString());
        throw new UncheckedIOException(e);
      }
    }, installExecutor);
  }

  private Path incomingDir() {
    return stateDir.resolveSibling(stateDir.getFileName() + ".incoming");
  }

  @Override
  public void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  /** Runs on Ratis's updater thread while paused: swaps the staged checkpoint in. */
  @Override
  public void reinitialize() throws IOException {
    MetaRecord staged = stagedInstall;
    if (staged != null) {
      Set<String> nodes = new TreeSet<>();
      store.nodes().forEach(n -> nodes.add(n.getId()));
      store.close();
      CheckpointDirs.swap(incomingDir(), stateDir);
      stagedInstall = null;
      openStore();
      snapshotInstalls.incrementAndGet();
      events.snapshotInstalled(staged.getAppliedIndex());
      LOG.info("event=install_done node={} term={} index={}", nodeId, staged.getAppliedTerm(),
          staged.getAppliedIndex());
      store.nodes().forEach(n -> nodes.add(n.getId()));
      fanOut(new AppliedChanges(store.meta().getAppliedIndex(), nodes, true));
    }
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
      lc.transition(LifeCycle.State.STARTING);
      lc.transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    LOG.error("event=log_write_failed node={} index={} fatal=true", nodeId,
        failedEntry == null ? -1 : failedEntry.getIndex(), cause);
    onFatal.accept(cause);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    events.leaderChanged(newLeaderId == null ? null : newLeaderId.toString());
  }

  @Override
  public void notifyLeaderReady() {
    events.leaderReady();
  }

  @Override
  public void close() throws IOException {
    installExecutor.shutdownNow();
    StateStore s = store;
    if (s != null && failed == null) {
      s.close();   // flushes; after a failed apply the unflushed state must not become durable
    }
    super.close();
  }
}
