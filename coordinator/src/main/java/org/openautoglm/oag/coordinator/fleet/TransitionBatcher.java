package org.openautoglm.oag.coordinator.fleet;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.command.v1.AllocationReport;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.ReportAllocations;
import org.openautoglm.oag.coordinator.propose.Proposer;
import org.openautoglm.oag.coordinator.state.StateStore;
import org.openautoglm.oag.coordinator.state.Migrations;
import org.openautoglm.oag.state.v1.AllocationRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what agents observe into replicated transitions, and only the transitions: each
 * allocation status in a hello or heartbeat is compared with the replicated allocation, and
 * only a difference (state, pid, exit, restarts, readiness) is queued. Queued reports are coalesced per
 * allocation (the latest wins) and flushed as one ReportAllocations command per node; the
 * proposer's group commit puts a flush into one Raft entry.
 *
 * <p>Why compare with replicated state rather than with the previous heartbeat: a new leader
 * knows no previous heartbeat, but the agent's hello after a failover still carries every
 * state, so whatever the old leader had not replicated yet is reported again. A report
 * already proposed is not re-queued for {@link #RESEND_AFTER_NANOS} (heartbeats keep
 * repeating it until the apply lands); apply is idempotent, so a repeat costs an entry, not
 * correctness. Stale reports (another generation or node) are skipped here and again in
 * apply. Thread-safe; flushes run on the given executor.
 */
final class TransitionBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(TransitionBatcher.class);
  static final long RESEND_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long FLUSH_DELAY_MS = 5;

  private record Key(String node, String allocationId) {}

  private record Queued(String bootId, AllocationReport report) {}

  private record Proposed(AllocationReport report, long atNanos) {}

  private final StateStoreSource store;
  private final Proposer proposer;
  private final ScheduledExecutorService executor;
  private final LongSupplier nanoClock;
  private final Map<Key, Queued> queue = new LinkedHashMap<>();   // guarded by this
  private final ConcurrentHashMap<String, Proposed> proposed = new ConcurrentHashMap<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Counter keeperKills;

  /** Where the current store comes from (it is replaced when a checkpoint is installed). */
  @FunctionalInterface
  interface StateStoreSource {
    StateStore store();
  }

  TransitionBatcher(StateStoreSource store, Proposer proposer, ScheduledExecutorService executor,
      LongSupplier nanoClock, Counter keeperKills) {
    this.keeperKills = keeperKills;
    this.store = store;
    this.proposer = proposer;
    this.executor = executor;
    this.nanoClock = nanoClock;
  }

  /**
   * Queues {@code observed} if it differs from what is replicated for the allocation. Returns
   * whether the observation is settled: already replicated, or about an allocation that is not
   * the task's current one (stale forever), so the same observation again needs no look.
   */
  boolean observe(String node, String bootId, AllocationStatus observed) {
    AllocationReport report = reportOf(observed);
    TaskRecord task = store.store().task(observed.getTaskId()).orElse(null);
    AllocationRecord replicated = task == null ? null : replicatedOf(task, node, observed);
    if (replicated == null) {
      return true;
    }
    if (sameAs(replicated, report)) {
      proposed.remove(observed.getAllocationId());   // replicated: nothing left to remember
      return true;
    }
    Proposed last = proposed.get(observed.getAllocationId());
    if (last != null && last.report().equals(report) && nanoClock.getAsLong() - last.atNanos() < RESEND_AFTER_NANOS) {
      return false;
    }
    if (last == null && observed.getState() == AllocationState.FENCED) {
      keeperKills.increment();
    }
    synchronized (this) {
      queue.put(new Key(node, observed.getAllocationId()), new Queued(bootId, report));
    }
    if (flushScheduled.compareAndSet(false, true)) {
      executor.schedule(this::flush, FLUSH_DELAY_MS, TimeUnit.MILLISECONDS);
    }
    return false;
  }

  /** Drops everything queued and remembered: leadership is gone. */
  synchronized void clear() {
    queue.clear();
    proposed.clear();
  }

  private void flush() {
    flushScheduled.set(false);
    Map<String, ReportAllocations.Builder> byNode = new LinkedHashMap<>();
    List<AllocationReport> sent = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Key, Queued> e : queue.entrySet()) {
        byNode.computeIfAbsent(e.getKey().node(), n -> ReportAllocations.newBuilder()
                .setNode(n).setBootId(e.getValue().bootId()))
            .addReports(e.getValue().report());
        sent.add(e.getValue().report());
      }
      queue.clear();
    }
    long now = nanoClock.getAsLong();
    sent.forEach(r -> proposed.put(r.getAllocationId(), new Proposed(r, now)));
    for (ReportAllocations.Builder body : byNode.values()) {
      Command command = Command.newBuilder()
          .setHeader(FleetCommands.header())
          .setReportAllocations(body)
          .build();
      proposer.propose(command).whenComplete((result, error) -> {
        if (error != null) {
          LOG.debug("event=report_not_applied node={} reports={} reason=\"{}\"", body.getNode(),
              body.getReportsCount(), error.toString());
        }
      });
    }
  }

  /**
   * The replicated allocation {@code observed} is about, if it is one of the task's live ones
   * on {@code node} (the current one, or a migration's old one); else null.
   */
  static AllocationRecord replicatedOf(TaskRecord task, String node, AllocationStatus observed) {
    for (AllocationRecord a : Migrations.liveAllocations(task)) {
      if (a.getId().equals(observed.getAllocationId()) && a.getGeneration() == observed.getGeneration()
          && a.getNode().equals(node)) {
        return a;
      }
    }
    if (isCurrent(task.getAllocation(), node, observed)) {
      return task.getAllocation();   // ended: a report saying so again is settled by sameAs
    }
    return null;
  }

  /** Whether {@code observed} is about the task's current allocation on {@code node}. */
  static boolean isCurrent(AllocationRecord current, String node, AllocationStatus observed) {
    return current.getId().equals(observed.getAllocationId())
        && current.getGeneration() == observed.getGeneration()
        && current.getNode().equals(node);
  }

  private static boolean sameAs(AllocationRecord current, AllocationReport report) {
    return current.getStatus() == report.getStatus()
        && current.getPid() == report.getPid()
        && current.getExited() == report.getExited()
        && current.getExitCode() == report.getExitCode()
        && current.getRestarts() == report.getRestarts()
        && current.getReady() == report.getReady();
  }

  static AllocationReport reportOf(AllocationStatus s) {
    return AllocationReport.newBuilder()
        .setTaskId(s.getTaskId())
        .setAllocationId(s.getAllocationId())
        .setGeneration(s.getGeneration())
        .setStatus(status(s.getState()))
        .setPid(s.getPid())
        .setExited(s.getExited())
        .setExitCode(s.getExitCode())
        .setRestarts(s.getRestarts())
        .setReason(s.getReason())
        .setReady(s.getState() == AllocationState.RUNNING && s.getReady())
        .build();
  }

  private static org.openautoglm.oag.state.v1.AllocationStatus status(AllocationState state) {
    return switch (state) {
      case RUNNING -> org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_RUNNING;
      case BACKOFF -> org.openautoglm.oag.state.v1.AllocationStatus.BACKOFF;
      case PAUSED -> org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_PAUSED;
      case EXITED -> org.openautoglm.oag.state.v1.AllocationStatus.EXITED;
      case KILLED -> org.openautoglm.oag.state.v1.AllocationStatus.KILLED;
      case FAILED -> org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_FAILED;
      case FENCED -> org.openautoglm.oag.state.v1.AllocationStatus.ALLOC_LOST;
      default -> org.openautoglm.oag.state.v1.AllocationStatus.ASSIGNED;
    };
  }
}
