package org.openautoglm.oag.chaos.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openautoglm.oag.chaos.check.GenerationResult;
import org.openautoglm.oag.chaos.check.LinearizabilityResult;
import org.openautoglm.oag.chaos.check.LivenessCheck;
import org.openautoglm.oag.chaos.check.RecoveryResult;
import org.openautoglm.oag.chaos.check.SubmitResult;
import org.openautoglm.oag.chaos.cluster.Convergence;
import org.openautoglm.oag.chaos.fault.LogFaults;

/**
 * What one run of a {@link FaultScenario} did and found: the faults injected, the client
 * operations by outcome, and each checker's verdict. Written as a human table ({@link
 * #table()}) and as JSON ({@link #write(Path)}).
 *
 * @param network "namespaces", or "loopback (why)" when partitions were not possible
 * @param notes what the run could not do or how it did it (faults skipped and why, how clocks
 *     were faked), one line each
 * @param faults injections per fault name
 * @param notInjected faults the nemesis tried and could not inject
 * @param ok client operations acknowledged
 * @param fail client operations that definitely failed
 * @param info client operations with an unknown outcome (retried with the same request id)
 * @param fencing null where the scenario runs no tasks on agents
 * @param liveness null where the scenario runs no tasks on agents
 * @param snapshotInstalls checkpoints the coordinators installed from a leader, all together;
 *     each follower left behind by a lag-follower fault must have installed one
 */
public record ScenarioReport(String scenario, long seed, long durationSeconds, String network,
    List<String> notes, Map<String, Integer> faults, int notInjected, long ok, long fail, long info,
    Submits submits, Recovery recovery, Linearizability linearizability, Generations generations,
    Convergence replicas, Fencing fencing, Liveness liveness, long snapshotInstalls, String workDir) {

  /** Acknowledged submits against the final read ({@link SubmitResult}). */
  public record Submits(int requests, int stored, List<String> lost, List<String> duplicated,
      List<String> failedButApplied, List<String> unexpected) {
    static Submits of(SubmitResult r, int stored) {
      return new Submits(r.invoked(), stored, r.lost(), r.duplicated(), r.failedButApplied(), r.unexpected());
    }

    boolean valid() {
      return lost.isEmpty() && duplicated.isEmpty() && failedButApplied.isEmpty() && unexpected.isEmpty();
    }
  }

  /** Fault to the next acknowledged write, and the bound after the last heal ({@link RecoveryResult}). */
  public record Recovery(int unrecovered, long p50Ms, long maxMs, long worstAfterHealMs, long boundMs,
      List<String> afterHealViolations) {
    static Recovery of(RecoveryResult r, long boundMs) {
      return new Recovery(r.unrecovered(), r.p50().toMillis(), r.max().toMillis(), r.worstAfterHeal().toMillis(),
          boundMs, r.violations());
    }

    boolean valid() {
      return unrecovered == 0 && afterHealViolations.isEmpty();
    }
  }

  /** The desired-state history per task ({@link LinearizabilityResult}). */
  public record Linearizability(int tasks, int ops, List<String> nonLinearizable, List<String> timedOut,
      String firstExplanation, long elapsedMs) {
    static Linearizability of(LinearizabilityResult r) {
      return new Linearizability(r.tasks(), r.ops(), r.nonLinearizable(), r.timedOut(),
          r.nonLinearizable().isEmpty() ? "" : r.explanations().get(r.nonLinearizable().get(0)),
          r.elapsed().toMillis());
    }

    boolean valid() {
      return ops > 0 && nonLinearizable.isEmpty() && timedOut.isEmpty();
    }
  }

  /** Allocation generations seen by reads only increase ({@link GenerationResult}). */
  public record Generations(int tasks, int reads, List<String> violations) {
    static Generations of(GenerationResult r) {
      return new Generations(r.tasks(), r.reads(), r.violations().stream().map(Object::toString).toList());
    }
  }

  /**
   * Generations at the tick sink: no two of an exclusive task alive at once; those of an
   * available task may be (a second instance may start while the first is cut off), and are
   * only counted.
   */
  public record Fencing(int exclusiveTasks, int handovers, List<String> overlaps, int availableOverlaps) {}

  /** After the last heal, every wanted task running (or paused) within a bound. */
  public record Liveness(boolean live, long waitedMs, long boundMs, List<String> notLive) {
    static Liveness of(LivenessCheck.Result r, long boundMs) {
      return new Liveness(r.live(), r.waitedMs(), boundMs, r.notLive());
    }
  }

  /** Every replica had the same digest at the same applied index. */
  @JsonProperty
  public boolean converged() {
    return replicas.sameDigest();
  }

  /** Faults were injected, writes were acknowledged, and every check passed. */
  @JsonProperty
  public boolean valid() {
    return faults.values().stream().mapToInt(Integer::intValue).sum() > 0 && ok > 0 && submits.valid()
        && recovery.valid() && linearizability.valid() && generations.violations().isEmpty()
        && replicas.sameDigest() && (fencing == null || fencing.overlaps().isEmpty())
        && (liveness == null || liveness.live())
        && snapshotInstalls >= faults.getOrDefault(LogFaults.LAG_FOLLOWER, 0);
  }

  /** This run's line in a chaos run's summary. */
  public Outcome outcome() {
    return new Outcome(scenario, seed, faultList(), ok + fail + info, submits.lost().size(),
        submits.duplicated().size(), fencing == null ? -1 : fencing.overlaps().size(),
        linearizability.valid() ? "yes" : "NO", "fault -> first acknowledged write", recovery.p50Ms(),
        recovery.maxMs(), valid(), workDir);
  }

  /** The human report: one table row, then each check's figures and what failed, if anything. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | seed | faults | ok / fail / info | lost | duplicated | overlaps | linearizable "
        + "| recovery p50 / max | converged | result |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    b.append(String.format("| %s (%d s, %s) | %d | %s | %d / %d / %d | %d | %d | %s | %s | %.2f s / %.2f s "
            + "| %s at %d | %s |%n",
        scenario, durationSeconds, network, seed, faultList(), ok, fail, info, submits.lost().size(),
        submits.duplicated().size(), fencing == null ? "-" : Integer.toString(fencing.overlaps().size()),
        linearizability.valid() ? "yes" : "NO", recovery.p50Ms() / 1000.0, recovery.maxMs() / 1000.0,
        replicas.sameDigest() ? "yes" : "NO", replicas.appliedIndex(), valid() ? "PASS" : "FAIL"));
    b.append(String.format("%nrequests %d, stored tasks %d, slowest acknowledged write after the last heal "
        + "%d ms (bound %d ms)%n", submits.requests(), submits.stored(), recovery.worstAfterHealMs(),
        recovery.boundMs()));
    b.append(String.format("linearizability: %d tasks, %d operations, checked in %d ms; generations: %d reads "
        + "of %d tasks%n", linearizability.tasks(), linearizability.ops(), linearizability.elapsedMs(),
        generations.reads(), generations.tasks()));
    if (faults.containsKey(LogFaults.LAG_FOLLOWER)) {
      b.append(String.format("snapshot installs: %d, for %d followers left behind the purged log%n",
          snapshotInstalls, faults.get(LogFaults.LAG_FOLLOWER)));
    }
    if (fencing != null) {
      b.append(String.format("fencing: %d exclusive tasks, %d handovers at the sink; available tasks' generations "
          + "alive at once (allowed): %d%n", fencing.exclusiveTasks(), fencing.handovers(),
          fencing.availableOverlaps()));
    }
    if (liveness != null) {
      b.append(String.format("liveness: every wanted task running %s (bound %d ms)%n",
          liveness.live() ? liveness.waitedMs() + " ms after the clients stopped" : "NOT within the bound",
          liveness.boundMs()));
    }
    notes.forEach(n -> b.append("note: ").append(n).append('\n'));
    appendIfAny(b, "lost", submits.lost());
    appendIfAny(b, "duplicated", submits.duplicated());
    appendIfAny(b, "failed but applied", submits.failedButApplied());
    appendIfAny(b, "stored but never submitted", submits.unexpected());
    appendIfAny(b, "after heal", recovery.afterHealViolations());
    appendIfAny(b, "not linearizable", linearizability.nonLinearizable());
    if (!linearizability.firstExplanation().isEmpty()) {
      b.append("  first: ").append(linearizability.firstExplanation()).append('\n');
    }
    appendIfAny(b, "linearizability unproven (checker budget)", linearizability.timedOut());
    appendIfAny(b, "generation went down", generations.violations());
    if (fencing != null) {
      appendIfAny(b, "overlapping exclusive generations", fencing.overlaps());
    }
    if (liveness != null) {
      appendIfAny(b, "not running", liveness.notLive());
    }
    if (recovery.unrecovered() > 0) {
      b.append("faults after which no write was acknowledged again: ").append(recovery.unrecovered()).append('\n');
    }
    if (!replicas.sameDigest()) {
      b.append("digests at applied index ").append(replicas.appliedIndex()).append(": ")
          .append(replicas.digests()).append('\n');
    }
    b.append("history, ticks, events and node logs: ").append(workDir).append('\n');
    return b.toString();
  }

  /** Writes report.json and report.md into {@code dir}. */
  public void write(Path dir) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("report.json").toFile(), this);
    Files.writeString(dir.resolve("report.md"), table());
  }

  private String faultList() {
    return faults.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", ")) + (notInjected > 0 ? " (" + notInjected + " not injected)" : "");
  }

  private static void appendIfAny(StringBuilder b, String what, List<String> ids) {
    if (!ids.isEmpty()) {
      b.append(what).append(" (").append(ids.size()).append("): ")
          .append(ids.stream().limit(20).collect(Collectors.joining(", "))).append('\n');
    }
  }
}
