package org.openautoglm.oag.bench.fleet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.agent.v1.AllocationState;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredAllocation;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.ProcessMetrics;

/**
 * A simulated agent's allocations: it "runs" what the leader's desired set names the way the
 * real agent's reconciler would, without any process. RUN is RUNNING (and ready) at once, with
 * a made-up pid and made-up metrics; PAUSE is PAUSED; STOP, a generation the set replaces, and
 * an allocation the set no longer names end KILLED, are reported once so, and are then
 * forgotten. A set older than the last applied one in the same term is ignored, as the real
 * agent ignores it.
 *
 * <p>Pure apart from the random metrics; not thread-safe (its agent's lock guards it).
 */
final class SimAllocations {
  /** One allocation as this agent "runs" it. */
  private static final class Held {
    final DesiredAllocation spec;
    final long pid;
    final long startedNanos;
    AllocationState state;
    boolean wanted = true;    // still named by the latest set, in this generation
    boolean finalReported;

    Held(DesiredAllocation spec, long pid, long startedNanos) {
      this.spec = spec;
      this.pid = pid;
      this.startedNanos = startedNanos;
    }
  }

  private final Map<String, Held> held = new LinkedHashMap<>();
  private final long pidBase;
  private long launches;
  private long appliedTerm = -1;
  private long appliedVersion = -1;

  /** @param pidBase where this agent's made-up pids start (they only need to look plausible) */
  SimAllocations(long pidBase) {
    this.pidBase = pidBase;
  }

  /** Applies a desired set from a leader of {@code term}; false when it was ignored as older. */
  boolean apply(long term, DesiredSet set, long nowNanos) {
    if (term == appliedTerm && set.getVersion() < appliedVersion) {
      return false;
    }
    appliedTerm = term;
    appliedVersion = set.getVersion();
    Map<String, DesiredAllocation> desired = new LinkedHashMap<>();
    set.getAllocationsList().forEach(d -> desired.put(d.getAllocationId(), d));
    for (Held h : held.values()) {
      DesiredAllocation d = desired.get(h.spec.getAllocationId());
      if (d == null || d.getGeneration() != h.spec.getGeneration()) {
        h.wanted = false;
        end(h);
      }
    }
    for (DesiredAllocation d : desired.values()) {
      Held h = held.get(d.getAllocationId());
      if (h == null || !h.wanted) {
        if (h != null) {
          held.remove(d.getAllocationId());   // a new generation replaces the ended one
        }
        h = new Held(d, pidBase + ++launches, nowNanos);
        h.state = AllocationState.RUNNING;
        held.put(d.getAllocationId(), h);
      }
      switch (d.getDesired()) {
        case PAUSE -> {
          if (h.state == AllocationState.RUNNING) {
            h.state = AllocationState.PAUSED;
          }
        }
        case STOP -> end(h);
        default -> {
          if (h.state == AllocationState.PAUSED) {
            h.state = AllocationState.RUNNING;
          }
        }
      }
    }
    return true;
  }

  private static void end(Held h) {
    if (h.state == AllocationState.RUNNING || h.state == AllocationState.PAUSED) {
      h.state = AllocationState.KILLED;
    }
  }

  /** Every allocation's status without metrics, as a Hello carries them. */
  List<AllocationStatus> inventory() {
    List<AllocationStatus> out = new ArrayList<>(held.size());
    held.values().forEach(h -> out.add(status(h).build()));
    return out;
  }

  /**
   * Adds every allocation's status to {@code heartbeat}, with made-up process metrics for the
   * running and paused ones; an ended allocation the set no longer names is forgotten once one
   * heartbeat has carried its end.
   */
  void report(Heartbeat.Builder heartbeat, long nowNanos, SplittableRandom random) {
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.finalReported && !h.wanted) {
        it.remove();
        continue;
      }
      AllocationStatus.Builder s = status(h);
      if (h.state == AllocationState.RUNNING || h.state == AllocationState.PAUSED) {
        s.setMetrics(ProcessMetrics.newBuilder()
            .setCpuPercent(h.state == AllocationState.PAUSED ? 0 : 1 + random.nextInt(90))
            .setRssMib(64 + random.nextInt(448))
            .setUptimeMs(TimeUnit.NANOSECONDS.toMillis(nowNanos - h.startedNanos)));
      } else {
        h.finalReported = true;
      }
      heartbeat.addAllocations(s);
    }
  }

  /** How many allocations are RUNNING. */
  int running() {
    int n = 0;
    for (Held h : held.values()) {
      if (h.state == AllocationState.RUNNING) {
        n++;
      }
    }
    return n;
  }

  private static AllocationStatus.Builder status(Held h) {
    return AllocationStatus.newBuilder()
        .setAllocationId(h.spec.getAllocationId())
        .setTaskId(h.spec.getTaskId())
        .setGeneration(h.spec.getGeneration())
        .setState(h.state)
        .setPid(h.pid)
        .setReady(h.state == AllocationState.RUNNING);
  }
}
