package org.openautoglm.oag.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.openautoglm.oag.agent.lease.AllocationLease;
import org.openautoglm.oag.agent.ready.ReadinessCheck;
import org.openautoglm.oag.agent.ready.ReadinessProber;
import org.openautoglm.oag.agent.session.LogStreamer;
import org.openautoglm.oag.agent.supervisor.Allocation;
import org.openautoglm.oag.agent.supervisor.AllocationDir;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.openautoglm.oag.agent.supervisor.ProcessLauncher;
import org.openautoglm.oag.agent.supervisor.SupervisorOptions;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this host's allocations match the leader's latest desired set, one supervision step at
 * a time: starts what is new, runs, pauses or stops what it names, stops what it no longer
 * names (or names with another generation: stale), and forgets finished allocations once the
 * set stops naming them.
 *
 * <p>Threading: {@link #offer} and the read methods are thread-safe; {@link #step} is called
 * from one thread only (the supervision loop), which alone touches the supervisors, except
 * that a supervisor being stopped is stepped on {@code stopper} (its stop blocks for up to its
 * grace period) and not on the loop until that step returned, so one slow stop does not hold
 * up every other allocation. Every step publishes an immutable snapshot for heartbeats, the
 * Hello and log requests, with each allocation's readiness as the {@link ReadinessProber}
 * tells it (checks run on the prober's threads; a flip asks for a step through {@code wake}).
 * A re-adopted allocation is not ready before a desired set names its check.
 *
 * <p>Failure modes: a malformed desired allocation is refused with a WARN and neither it nor
 * an allocation of the same id is touched; an allocation whose record cannot be written is
 * not started and the next step tries again.
 */
final class Reconciler implements LogStreamer.OutputFiles {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** One allocation as of the last step; {@code ready} as {@link ReadinessProber#observe} said. */
  record Tracked(Allocation allocation, AllocationDir dir, AllocationSupervisor.Status status,
      AllocationSupervisor.Metrics metrics, long commandPid, boolean ready) {}

  private record Offer(long term, DesiredSet set) {}

  /** Supervision-thread state of one allocation. */
  private static final class Entry {
    final Allocation allocation;
    final AllocationDir dir;
    final AllocationSupervisor supervisor;
    final AllocationLease lease;   // null: not exclusive
    Duration grace;
    boolean stopRequested;
    Future<AllocationSupervisor.Status> stopping;
    AllocationSupervisor.Status status;
    boolean finalPublished;
    ReadinessCheck readiness;      // null: none
    boolean readinessKnown;        // false for a re-adopted one until a desired set names it
    boolean ready;

    Entry(AllocationDir dir, AllocationSupervisor supervisor, AllocationLease lease, Duration grace) {
      this.allocation = dir.allocation();
      this.dir = dir;
      this.supervisor = supervisor;
      this.lease = lease;
      this.grace = grace;
      this.status = supervisor.status();
    }
  }

  private final String nodeId;
  private final Path data;
  private final FencedSupervisors supervisors;
  private final Duration defaultGrace;
  private final ExecutorService stopper;
  private final ReadinessProber readiness;
  private final Runnable wake;
  private final AtomicReference<Offer> pending = new AtomicReference<>();
  private volatile boolean stopEverything;
  private volatile List<Tracked> published = List.of();
  private volatile Duration longestGrace = Duration.ZERO;

  // Supervision-thread state.
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private Map<String, DesiredAllocation> desired = Map.of();
  private Set<String> untouchable = Set.of();
  private Offer applied;

  /**
   * @param options what every supervisor shares (sampler, log rotation); the lease is set per
   *     allocation
   * @param readiness whose {@code changed} should call {@code wake}
   * @param wake asks the supervision loop for a step soon (after an offer or a finished stop)
   */
  Reconciler(String nodeId, Path data, ProcessLauncher launcher, SupervisorOptions options,
      FencedSupervisors.Fencing fencing, Duration defaultGrace, ExecutorService stopper,
      ReadinessProber readiness, Runnable wake) {
    this.nodeId = nodeId;
    this.data = Objects.requireNonNull(data, "data");
    this.supervisors = new FencedSupervisors(nodeId, data, Objects.requireNonNull(launcher, "launcher"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(fencing, "fencing"));
    this.defaultGrace = Objects.requireNonNull(defaultGrace, "defaultGrace");
    this.stopper = Objects.requireNonNull(stopper, "stopper");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    this.wake = Objects.requireNonNull(wake, "wake");
  }

  /** Hands over a desired set from a leader of {@code term}; the next step applies the latest. */
  void offer(long term, DesiredSet set) {
    pending.accumulateAndGet(new Offer(term, set), (old, neu) ->
        old != null && old.term() == neu.term() && old.set().getVersion() > neu.set().getVersion()
            ? old : neu);
    wake.run();
  }

  /** Stops every allocation from the next step on, with each one's grace, and starts nothing. */
  void stopAll() {
    stopEverything = true;
    wake.run();
  }

  /**
   * Takes over the allocations a previous agent on this data dir left: live processes keep
   * running under new supervisors (same pid), ones that ended meanwhile are reported with
   * their exit code, and ones already ended and reported before are left alone. An allocation
   * with a lease file (or a keeper's kill marker) was exclusive and stays fenced. Call once,
   * before the first step and before the session opens, so the first Hello carries them.
   */
  void adoptExisting(long nowNanos) throws IOException {
    for (FencedSupervisors.Made m : supervisors.adoptAll(nowNanos)) {
      Entry e = new Entry(m.supervisor().dir(), m.supervisor(), m.lease(), defaultGrace);
      entries.put(e.allocation.allocationId(), e);
      log.info("event=allocation_readopted node={} alloc={} state={} pid={}", nodeId,
          e.allocation.allocationId(), e.status.state(), e.status.pid());
    }
    published = entries.values().stream()
        .map(e -> new Tracked(e.allocation, e.dir, e.status, e.supervisor.metrics(),
            e.supervisor.commandPid(), false)).toList();
  }

  /** Extends every exclusive allocation's lease to {@code deadlineNanos}; any thread. */
  void renewLeases(long deadlineNanos) {
    supervisors.renewAll(deadlineNanos);
  }

  /** Every allocation as of the last step. */
  List<Tracked> snapshot() {
    return published;
  }

  /**
   * The allocation's output file: of one the agent supervises, or of one it has forgotten
   * (ended) whose folder is still on disk, so `oag task logs` works after a task ended.
   */
  @Override
  public Optional<Path> output(String allocationId, boolean stderr) {
    for (Tracked t : published) {
      if (t.allocation().allocationId().equals(allocationId)) {
        return Optional.of(stderr ? t.dir().stderrFile() : t.dir().stdoutFile());
      }
    }
    if (!DesiredAllocations.singleSegment(allocationId)) {
      return Optional.empty();
    }
    try {
      return AllocationDir.open(data, allocationId)
          .map(dir -> stderr ? dir.stderrFile() : dir.stdoutFile());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the allocation is supervised and not final, as of the last step. */
  @Override
  public boolean running(String allocationId) {
    for (Tracked t : published) {
      if (t.allocation().allocationId().equals(allocationId)) {
        return !t.status().state().isFinal();
      }
    }
    return false;
  }

  /** The longest stop grace of the allocations not yet final, as of the last step. */
  Duration longestGrace() {
    return longestGrace;
  }

  /** Whether every allocation is final (nothing runs or is being stopped). */
  boolean allFinal() {
    return published.stream().allMatch(t -> t.status().state().isFinal());
  }

  /**
   * Applies the latest desired set, drives every supervisor one step at {@code nowNanos},
   * forgets what is done, and publishes the result. Returns whether any allocation appeared,
   * went, or changed state, process, exit code, restart count or readiness.
   */
  boolean step(long nowNanos) {
    Offer offer = pending.getAndSet(null);
    if (offer != null) {
      accept(offer);
    }
    reconcile();
    for (Entry e : entries.values()) {
      drive(e, nowNanos);
      e.ready = e.readinessKnown
          && readiness.observe(e.dir, e.status, e.stopRequested, e.readiness);
    }
    List<Tracked> before = published;
    List<Tracked> now = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      now.add(new Tracked(e.allocation, e.dir, e.status, e.supervisor.metrics(),
            e.supervisor.commandPid(), e.ready));
    }
    published = List.copyOf(now);
    Duration longest = Duration.ZERO;
    for (Entry e : entries.values()) {
      e.finalPublished = e.status.state().isFinal();
      if (!e.finalPublished && e.grace.compareTo(longest) > 0) {
        longest = e.grace;
      }
    }
    longestGrace = longest;
    return changed(before, now);
  }

  private void accept(Offer offer) {
    if (applied != null && offer.term() == applied.term()
        && offer.set().getVersion() < applied.set().getVersion()) {
      log.warn("event=desired_set_ignored node={} term={} version={} applied_version={} "
          + "reason=\"older than the set applied in the same term\"", nodeId, offer.term(),
          offer.set().getVersion(), applied.set().getVersion());
      return;
    }
    Map<String, DesiredAllocation> valid = new LinkedHashMap<>();
    Set<String> refused = new HashSet<>();
    for (DesiredAllocation d : offer.set().getAllocationsList()) {
      String id = d.getAllocationId();
      Optional<String> problem = DesiredAllocations.problem(d);
      if (problem.isEmpty() && valid.containsKey(id)) {
        problem = Optional.of("allocation id named twice in the set");
      }
      if (problem.isPresent()) {
        log.warn("event=desired_allocation_rejected node={} term={} version={} alloc=\"{}\" "
            + "generation={} reason=\"{}\"", nodeId, offer.term(), offer.set().getVersion(), id,
            d.getGeneration(), problem.get());
        if (DesiredAllocations.singleSegment(id)) {
          refused.add(id);
        }
        continue;
      }
      valid.put(id, d);
    }
    refused.forEach(valid::remove);
    applied = offer;
    desired = valid;
    untouchable = refused;
    log.info("event=desired_set_applied node={} term={} version={} allocations={} rejected={}",
        nodeId, offer.term(), offer.set().getVersion(), valid.size(), refused.size());
  }

  /** Tells each supervisor what it should be doing now, starts new allocations, forgets old ones. */
  private void reconcile() {
    for (var it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      String id = e.allocation.allocationId();
      if (stopEverything) {
        requestStop(e, "agent closing");
        continue;
      }
      if (applied == null) {
        continue;   // re-adopted, and no desired set yet: nothing says it is stale
      }
      if (untouchable.contains(id)) {
        continue;
      }
      DesiredAllocation d = desired.get(id);
      if (d == null || d.getGeneration() != e.allocation.generation()) {
        requestStop(e, d == null ? "not in the desired set" : "generation " + d.getGeneration()
            + " replaces " + e.allocation.generation());
        if (e.status.state().isFinal() && e.stopping == null && e.finalPublished) {
          log.info("event=allocation_forgotten node={} alloc={} generation={} state={}", nodeId, id,
              e.allocation.generation(), e.status.state());
          supervisors.forget(id, e.lease);
          readiness.forget(id);
          it.remove();
        }
        continue;
      }
      e.grace = DesiredAllocations.grace(d, defaultGrace);
      e.readiness = DesiredAllocations.readiness(d).orElse(null);
      e.readinessKnown = true;
      switch (d.getDesired()) {
        case RUN -> e.supervisor.run();
        case PAUSE -> e.supervisor.pause();
        default -> requestStop(e, "desired stop");
      }
    }
    if (stopEverything) {
      return;
    }
    for (DesiredAllocation d : desired.values()) {
      if (!entries.containsKey(d.getAllocationId())) {
        start(d);   // one to stop is recorded and ends KILLED without running, so the stop is reported
      }
    }
  }

  private void start(DesiredAllocation d) {
    AllocationSupervisor s;
    AllocationLease lease;
    try {
      FencedSupervisors.Made made = supervisors.start(d);
      s = made.supervisor();
      lease = made.lease();
    } catch (IOException e) {
      log.error("event=allocation_not_persisted node={} alloc={} error=\"{}\"", nodeId,
          d.getAllocationId(), e.toString());
      return;
    }
    Duration grace = DesiredAllocations.grace(d, defaultGrace);
    if (d.getDesired() == DesiredState.PAUSE) {
      s.pause();
    } else if (d.getDesired() == DesiredState.STOP) {
      s.stop(grace);
    }
    Entry e = new Entry(s.dir(), s, lease, grace);
    e.readiness = DesiredAllocations.readiness(d).orElse(null);
    e.readinessKnown = true;
    entries.put(d.getAllocationId(), e);
    log.info("event=allocation_assigned node={} alloc={} task={} generation={} desired={}", nodeId,
        d.getAllocationId(), d.getTaskId(), d.getGeneration(), d.getDesired());
  }

  private void requestStop(Entry e, String why) {
    if (!e.stopRequested) {
      e.stopRequested = true;
      e.supervisor.stop(e.grace);
      if (!e.status.state().isFinal()) {
        log.info("event=allocation_stopping node={} alloc={} generation={} grace_ms={} reason=\"{}\"",
            nodeId, e.allocation.allocationId(), e.allocation.generation(), e.grace.toMillis(), why);
      }
    }
  }

  private void drive(Entry e, long nowNanos) {
    if (e.stopping != null) {
      if (!e.stopping.isDone()) {
        return;
      }
      try {
        e.status = e.stopping.get();
      } catch (ExecutionException | InterruptedException ex) {
        log.error("event=allocation_stop_failed node={} alloc={}", nodeId,
            e.allocation.allocationId(), ex);
      }
      e.stopping = null;
      return;
    }
    if (e.stopRequested && !e.status.state().isFinal()) {
      // Completed before wake runs, so the step it asks for collects the result.
      CompletableFuture<AllocationSupervisor.Status> stop = CompletableFuture.supplyAsync(
          () -> e.supervisor.step(System.nanoTime()), stopper);
      stop.whenComplete((status, error) -> wake.run());
      e.stopping = stop;
      return;
    }
    e.status = e.supervisor.step(nowNanos);
  }

  private static boolean changed(List<Tracked> before, List<Tracked> now) {
    if (before.size() != now.size()) {
      return true;
    }
    for (int i = 0; i < now.size(); i++) {
      Tracked b = before.get(i);
      Tracked n = now.get(i);
      if (b.allocation() != n.allocation() || b.commandPid() != n.commandPid()
          || b.ready() != n.ready()) {
        return true;
      }
      AllocationSupervisor.Status x = b.status();
      AllocationSupervisor.Status y = n.status();
      if (x.state() != y.state() || x.pid() != y.pid() || !Objects.equals(x.exitCode(), y.exitCode())
          || x.restarts() != y.restarts()) {
        return true;
      }
    }
    return false;
  }

  /** For tests: the state of {@code allocationId} as last published. */
  Optional<AllocationState> state(String allocationId) {
    return published.stream().filter(t -> t.allocation().allocationId().equals(allocationId))
        .map(t -> t.status().state()).findFirst();
  }
}
