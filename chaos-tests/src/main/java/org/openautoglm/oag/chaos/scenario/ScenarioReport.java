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

/**
 * What one scenario run did and found: the faults injected, the client operations by
 * outcome, the checkers' verdicts, recovery times and whether the replicas converged. Written
 * as a human table ({@link #table()}) and as JSON ({@link #write(Path)}).
 *
 * @param network "namespaces", or "loopback (why)" when partitions were not possible
 * @param faults injections per fault name
 * @param notInjected faults the nemesis tried and could not inject
 * @param ok client operations acknowledged
 * @param fail client operations that definitely failed
 * @param info client operations with an unknown outcome (retried with the same request id)
 * @param requests distinct request ids submitted
 * @param stored tasks the final read found
 * @param lost acknowledged request ids missing from the final state
 * @param duplicated request ids with more than one task
 * @param failedButApplied request ids reported failed yet applied
 * @param recoveryP50Ms nearest-rank median, fault injected to the next acknowledged write
 * @param afterHealViolations acknowledged writes after the last heal slower than the bound
 * @param appliedIndex the index at which every replica was compared
 * @param digests each replica's digest at {@code appliedIndex}
 */
public record ScenarioReport(String scenario, long seed, long durationSeconds, String network,
    Map<String, Integer> faults, int notInjected, long ok, long fail, long info, int requests, int stored,
    List<String> lost, List<String> duplicated, List<String> failedButApplied,
    List<String> unexpected, int unrecovered, long recoveryP50Ms, long recoveryMaxMs,
    long worstAfterHealMs, long recoveryBoundMs, List<String> afterHealViolations,
    long appliedIndex, Map<String, String> digests, String historyFile) {

  @JsonProperty
  public boolean converged() {
    return !digests.isEmpty() && digests.values().stream().distinct().count() == 1;
  }

  /** Faults were injected, writes were acknowledged, and every check passed. */
  @JsonProperty
  public boolean valid() {
    return faults.values().stream().mapToInt(Integer::intValue).sum() > 0 && ok > 0
        && lost.isEmpty() && duplicated.isEmpty() && failedButApplied.isEmpty()
        && unexpected.isEmpty() && unrecovered == 0 && afterHealViolations.isEmpty() && converged();
  }

  /** The human report: one table row, then what failed, if anything. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | seed | faults | ok / fail / info | lost | duplicated | recovery p50 / max | converged | result |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    String faultList = faultList();
    b.append(String.format("| %s (%d s, %s) | %d | %s | %d / %d / %d | %d | %d | %.2f s / %.2f s | %s at %d | %s |%n",
        scenario, durationSeconds, network, seed, faultList, ok, fail, info, lost.size(),
        duplicated.size(), recoveryP50Ms / 1000.0, recoveryMaxMs / 1000.0,
        converged() ? "yes" : "NO", appliedIndex, valid() ? "PASS" : "FAIL"));
    b.append(String.format("%nrequests %d, stored tasks %d, slowest acknowledged write after the last heal %d ms (bound %d ms)%n",
        requests, stored, worstAfterHealMs, recoveryBoundMs));
    appendIfAny(b, "lost", lost);
    appendIfAny(b, "duplicated", duplicated);
    appendIfAny(b, "failed but applied", failedButApplied);
    appendIfAny(b, "stored but never submitted", unexpected);
    appendIfAny(b, "after heal", afterHealViolations);
    if (unrecovered > 0) {
      b.append("faults after which no write was acknowledged again: ").append(unrecovered).append('\n');
    }
    if (!converged()) {
      b.append("digests at applied index ").append(appliedIndex).append(": ").append(digests).append('\n');
    }
    b.append("history: ").append(historyFile).append('\n');
    return b.toString();
  }

  /** This run's line in a chaos run's summary. */
  public Outcome outcome() {
    return new Outcome(scenario, seed, faultList(), ok + fail + info, lost.size(), duplicated.size(), -1, "-",
        "fault -> first acknowledged write", recoveryP50Ms, recoveryMaxMs, valid(),
        Path.of(historyFile).getParent().toString());
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
