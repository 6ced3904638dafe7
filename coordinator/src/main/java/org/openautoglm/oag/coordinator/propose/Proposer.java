package org.openautoglm.oag.coordinator.propose;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.coordinator.Clock;
import org.openautoglm.oag.coordinator.CoordinatorException;
import org.openautoglm.oag.coordinator.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on the leader: concurrent commands are coalesced into one
 * Raft entry (a {@link CommandBatch}) so Raft's per-entry cost is paid once
 * per batch; each caller still gets its own {@link CommandResult}.
 *
 * <p>Why this loop: one thread drains the queue. It first waits for an
 * in-flight slot (at most {@code maxInFlight} batches are outstanding), then
 * takes everything queued meanwhile, bounded by a count and a byte size; so
 * while the log is busy, the next batch grows instead of many tiny entries
 * queueing up. Only while other batches are still in flight does it wait up
 * to the window for more; with the log idle it proposes at once. Results are
 * handed back on a small executor, never on Ratis's apply thread.
 *
 * <p>The leader's term and wall-clock time (held within a term to its
 * monotonic clock: {@link TimeStamps}) are stamped into every header here,
 * just before proposing; apply rejects a header whose term differs from its
 * entry's term, so a command proposed by a deposed leader never applies.
 */
public final class Proposer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Proposer.class);
  private static final int QUEUE_LIMIT = 20_000;
  private static final long READY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final RaftNode raft;
  private final TimeStamps stamps;
  private final int maxCommands;
  private final int maxBytes;
  private final long windowNanos;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final ExecutorService replies;
  private final Thread loop;
  private final Counter proposals;
  private final DistributionSummary batchSize;
  private volatile boolean running = true;

  private record Pending(Command command, int bytes, CompletableFuture<CommandResult> result) {}

  public Proposer(RaftNode raft, Clock clock, int maxCommands, int maxBytes, Duration window,
      int maxInFlight, MeterRegistry meters) {
    this.raft = raft;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    // Callers' futures complete here, never on Ratis's apply thread; after close
    // the submitting thread runs them itself, so no caller is left waiting.
    this.replies = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "oag-replies-" + raft.nodeId());
          t.setDaemon(true);
          return t;
        }, (task, pool) -> task.run());
    this.stamps = new TimeStamps(clock, System::nanoTime);
    this.maxCommands = maxCommands;
    this.maxBytes = maxBytes;
    this.windowNanos = window.toNanos();
    this.proposals = Counter.builder("oag_proposals").description("Raft entries proposed").register(meters);
    this.batchSize = DistributionSummary.builder("oag_proposal_batch_commands")
        .description("commands per proposed Raft entry").register(meters);
    this.loop = new Thread(this::run, "oag-proposer-" + raft.nodeId());
    this.loop.setDaemon(true);
    this.loop.start();
  }

  /**
   * Queues a command whose header carries version and idempotency key; term
   * and time are stamped here. Fails fast with NotLeader when this node does
   * not lead, Overloaded when the queue is full.
   */
  public CompletableFuture<CommandResult> propose(Command command) {
    // A just-elected leader takes commands at once; the loop holds them until it is ready.
    if (!raft.isLeaderRole()) {
      return CompletableFuture.failedFuture(raft.notLeader());
    }
    Pending p = new Pending(command, command.getSerializedSize(), new CompletableFuture<>());
    if (!running || !queue.offer(p)) {
      return CompletableFuture.failedFuture(new CoordinatorException.Overloaded(
          "proposal queue is full (" + QUEUE_LIMIT + ")"));
    }
    if (!running) {
      failQueued();   // raced with close(), which may have drained the queue already
    }
    return p.result();
  }

  private void run() {
    while (running) {
      try {
        inFlight.acquire();
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          inFlight.release();
          continue;
        }
        List<Pending> batch = new ArrayList<>(List.of(first));
        try {
          collect(batch);
          awaitReady();
          send(batch);
        } catch (InterruptedException | RuntimeException e) {
          // Nothing was proposed: the callers may retry anywhere.
          inFlight.release();
          batch.forEach(p -> p.result().completeExceptionally(raft.notLeader()));
          if (!(e instanceof CoordinatorException.NotLeader)) {
            throw e;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("event=proposer_error node={}", raft.nodeId(), e);
      }
    }
  }

  /**
   * A new leader refuses proposals until it has applied its term's first
   * entry, a few milliseconds after winning; waiting here spares clients a
   * round of backoff in every failover. Throws NotLeader if leadership goes.
   */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_WAIT_NANOS;
    while (!raft.isLeader()) {
      if (!raft.isLeaderRole() || System.nanoTime() > deadline) {
        throw raft.notLeader();
      }
      Thread.sleep(2);
    }
  }

  /** Adds what is queued to {@code batch} (which holds the first command), within the limits. */
  private void collect(List<Pending> batch) throws InterruptedException {
    int bytes = batch.get(0).bytes();
    long deadline = System.nanoTime() + windowNanos;
    while (batch.size() < maxCommands && bytes < maxBytes) {
      Pending next = queue.poll();
      if (next == null) {
        long left = deadline - System.nanoTime();
        // Nothing else in flight: the log is idle, so waiting would only add latency.
        if (left <= 0 || inFlight.availablePermits() == maxInFlight - 1) {
          break;
        }
        next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      batch.add(next);
      bytes += next.bytes();
    }
  }

  private void send(List<Pending> batch) {
    long term = raft.term();
    long now = stamps.stamp(term);
    CommandBatch.Builder entry = CommandBatch.newBuilder();
    for (Pending p : batch) {
      Command c = p.command();
      entry.addCommands(c.toBuilder().setHeader(c.getHeader().toBuilder().setTerm(term).setTimeMs(now)));
    }
    proposals.increment();
    batchSize.record(batch.size());
    CompletableFuture<byte[]> f;
    try {
      f = raft.propose(entry.build().toByteArray());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenCompleteAsync((bytes, error) -> {
      inFlight.release();
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        batch.forEach(p -> p.result().completeExceptionally(cause));
      } else {
        complete(batch, bytes);
      }
    }, replies);
  }

  private void complete(List<Pending> batch, byte[] bytes) {
    BatchResult results;
    try {
      results = BatchResult.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      batch.forEach(p -> p.result().completeExceptionally(
          new CoordinatorException.Indeterminate("unreadable apply result", e)));
      return;
    }
    if (results.getResultsCount() != batch.size()) {
      batch.forEach(p -> p.result().completeExceptionally(new CoordinatorException.Indeterminate(
          "apply returned " + results.getResultsCount() + " results for " + batch.size() + " commands", null)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      CommandResult r = results.getResults(i);
      if (r.getCode() == CommandResult.Code.STALE_TERM) {
        // Provably not applied: safe to retry at the current leader.
        batch.get(i).result().completeExceptionally(raft.notLeader());
      } else {
        batch.get(i).result().complete(r);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    loop.interrupt();
    replies.shutdown();
    failQueued();
  }

  private void failQueued() {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(raft.notLeader());
    }
  }
}
