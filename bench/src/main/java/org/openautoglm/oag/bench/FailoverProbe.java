package org.openautoglm.oag.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures leader failover as an already-running client sees it: writers keep writing
 * through one connection while, round after round, the leader is killed with SIGKILL; the
 * gap is the time from the kill to the first acknowledgement of a write sent after it.
 *
 * <p>Each round: wait until the cluster is settled (a leader, every member reachable,
 * applied indexes close, writes being acknowledged); verify the leader's process (see
 * {@link MemberControl#verifiedProcess}); kill it; wait for the first acknowledged write,
 * for the process to disappear and for a new leader; start it again. After the last round
 * the probe waits for the last victim to rejoin, so the cluster is left as it was found.
 *
 * <p>Why the gap is taken from the writers' own timestamps and not from a call made after
 * the kill: the writers' connection is warm and already knows the old leader, which is what
 * an application sees; a fresh call would also measure connection set-up.
 *
 * <p>Bounded: {@link FailoverConfig#rounds()} rounds, every wait with its own timeout. A
 * round without an acknowledged write, or a wait that times out, ends the run; the report
 * keeps the rounds done so far and says why. Only processes verified by {@link
 * MemberControl} are ever killed. One run per instance, on the calling thread.
 */
public final class FailoverProbe {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverProbe.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long HEALTH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final BenchTarget target;
  private final MemberControl members;
  private final FailoverConfig config;
  private final Consumer<String> progress;
  private final LongSupplier nanoTime = System::nanoTime;
  private final AckLog acks = new AckLog();

  /** {@code progress} gets one human line per step (for a terminal); may be a no-op. */
  public FailoverProbe(BenchTarget target, MemberControl members, FailoverConfig config,
      Consumer<String> progress) {
    this.target = target;
    this.members = members;
    this.config = config;
    this.progress = progress;
  }

  /** Runs every round; throws only when the cluster cannot be reached at all. */
  public FailoverReport run() {
    int size = target.health().members().size();
    if (size < 3) {
      throw new BenchException("a leader kill needs at least 3 members to leave a majority; "
          + "the cluster has " + size);
    }
    List<FailoverReport.Round> rounds = new ArrayList<>();
    String error = null;
    try (BenchTarget.Writer writer = target.openWriter("failover");
        AckingWriters writers = new AckingWriters(writer, config.writers(),
            config.namePrefix(), acks, nanoTime)) {
      writers.start();
      try {
        for (int i = 1; i <= config.rounds(); i++) {
          FailoverReport.Round r = round(i, size);
          rounds.add(r);
          if (r.gapMs() == null) {
            error = "round " + i + ": no write was acknowledged within "
                + config.gapTimeout().toSeconds() + " s of killing " + r.killed();
            break;
          }
        }
        progress.accept("waiting for the last killed member to rejoin");
        awaitSettled(size);
      } catch (BenchException e) {
        error = e.getMessage();
      }
      return new FailoverReport(rounds, acks.total(), writers.errors(), error);
    }
  }

  private FailoverReport.Round round(int i, int size) {
    ClusterHealth before = awaitSettled(size);
    String victim = before.leader();
    ProcessHandle process = members.verifiedProcess(victim);
    progress.accept("round " + i + ": killing leader " + victim + " (pid " + process.pid()
        + ", term " + before.term() + ")");
    FailoverReport.Round r;
    try {
      r = killAndMeasure(i, victim, process);
    } catch (RuntimeException e) {
      try {
        members.startStopped();
      } catch (RuntimeException restart) {
        e.addSuppressed(restart);
      }
      throw e;
    }
    progress.accept("round " + i + ": " + (r.gapMs() == null ? "no write acknowledged"
        : "first write acknowledged " + r.gapMs() + " ms after the kill")
        + ", new leader " + r.newLeader() + "; restarting " + victim);
    members.startStopped();
    return r;
  }

  private FailoverReport.Round killAndMeasure(int i, String victim, ProcessHandle process) {
    acks.clear();
    long t0 = nanoTime.getAsLong();
    if (!process.destroyForcibly()) {
      throw new BenchException("SIGKILL to " + victim + " (pid " + process.pid() + ") failed");
    }
    OptionalLong gap = poll(config.gapTimeout().toNanos(), POLL_NANOS, () -> {
      OptionalLong g = acks.gapNanos(t0);
      return g.isPresent() ? g : null;
    });
    try {
      process.onExit().get(config.exitTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new BenchException(victim + " (pid " + process.pid() + ") still exists "
          + config.exitTimeout().toSeconds() + " s after SIGKILL", e);
    }
    String newLeader = poll(config.settleTimeout().toNanos(), HEALTH_POLL_NANOS, () -> {
      ClusterHealth h = health();
      return h != null && h.hasLeader() && !h.leader().equals(victim) ? h.leader() : null;
    });
    Double gapMs = gap == null ? null : Latency.round3(gap.getAsLong() / 1e6);
    LOG.info("event=failover_round round={} killed={} pid={} new_leader={} gap_ms={}",
        i, victim, process.pid(), newLeader, gapMs);
    return new FailoverReport.Round(i, victim, process.pid(), newLeader, gapMs);
  }

  /** Waits until the cluster is settled with {@code size} members; throws on timeout. */
  private ClusterHealth awaitSettled(int size) {
    ClusterHealth[] last = {null};
    ClusterHealth settled = poll(config.settleTimeout().toNanos(), HEALTH_POLL_NANOS, () -> {
      ClusterHealth h = health();
      if (h == null) {
        return null;
      }
      last[0] = h;
      long fresh = nanoTime.getAsLong() - config.ackFreshness().toNanos();
      return h.settled(size, config.maxAppliedGap()) && acks.ackedSince(fresh) ? h : null;
    });
    if (settled == null) {
      long fresh = nanoTime.getAsLong() - config.ackFreshness().toNanos();
      throw new BenchException("the cluster did not settle within "
          + config.settleTimeout().toSeconds() + " s: "
          + (last[0] == null ? "no member answered" : last[0].summary())
          + (acks.ackedSince(fresh) ? "" : "; no write acknowledged in the last "
              + config.ackFreshness().toMillis() + " ms"));
    }
    return settled;
  }

  private ClusterHealth health() {
    try {
      return target.health();
    } catch (RuntimeException e) {
      LOG.debug("event=health_failed error=\"{}\"", e.getMessage());
      return null;
    }
  }

  /** Asks {@code check} every {@code everyNanos} until it answers non-null; null on timeout. */
  private <T> T poll(long timeoutNanos, long everyNanos, Supplier<T> check) {
    long deadline = nanoTime.getAsLong() + timeoutNanos;
    while (true) {
      T v = check.get();
      if (v != null) {
        return v;
      }
      long left = deadline - nanoTime.getAsLong();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return null;
      }
      LockSupport.parkNanos(Math.min(left, everyNanos));
    }
  }
}
