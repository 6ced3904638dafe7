package org.openautoglm.oag.chaos.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.openautoglm.oag.chaos.failover.RoundResult;

/**
 * What one agent-faults run found: per round, how long the faulted agent's tasks took to run
 * elsewhere; per kind of fault, the median and max of those times, separately for {@code
 * available} and {@code exclusive} tasks; and over the whole run, the overlapping live
 * intervals of exclusive tasks (must be none). Written as a table ({@link #table()}) and as
 * JSON ({@link #write(Path)}).
 *
 * <p>A round's time for a mode is the time from the fault to the last of the agent's tasks of
 * that mode RUNNING on another node (replicated time, as {@code oag task get} shows it); the
 * first tick of the new generation at the sink is given beside it.
 *
 * @param failedRounds rounds that did not complete (a wait ran out), with why
 * @param overlaps overlapping pairs of generations of an exclusive task, over the whole run
 * @param handovers successive generation pairs of exclusive tasks seen at the sink
 * @param shortestBreakMs the shortest time between one exclusive generation's last tick and
 *     the next one's first; -1 when there was no handover
 */
public record AgentFaultsReport(String network, int exclusiveTasks, int availableTasks, List<RoundResult> rounds,
    List<String> failedRounds, List<String> overlaps, int handovers, long shortestBreakMs, String workDir) {

  public AgentFaultsReport {
    rounds = List.copyOf(rounds);
    failedRounds = List.copyOf(failedRounds);
    overlaps = List.copyOf(overlaps);
  }

  /** The figures of one kind of fault over its rounds (ms; -1 where no round had such tasks). */
  public record Figures(String fault, int rounds, long availableMedian, long availableMax, long exclusiveMedian,
      long exclusiveMax, long availableTickMedian, long availableTickMax, long exclusiveTickMedian,
      long exclusiveTickMax, int placedBackOnVictim, int notKilledByKeeper, int extraDowns) {}

  /** Figures per kind of fault, in the order the kinds first ran. */
  @JsonProperty
  public List<Figures> figures() {
    Map<String, List<RoundResult>> byFault = new LinkedHashMap<>();
    rounds.forEach(r -> byFault.computeIfAbsent(kind(r), k -> new ArrayList<>()).add(r));
    List<Figures> out = new ArrayList<>();
    byFault.forEach((fault, rs) -> out.add(new Figures(fault, rs.size(),
        median(rs, r -> r.allRunningMs(false)), max(rs, r -> r.allRunningMs(false)),
        median(rs, r -> r.allRunningMs(true)), max(rs, r -> r.allRunningMs(true)),
        median(rs, r -> r.allTickingMs(false)), max(rs, r -> r.allTickingMs(false)),
        median(rs, r -> r.allTickingMs(true)), max(rs, r -> r.allTickingMs(true)),
        rs.stream().mapToInt(r -> r.placedOnVictim().size()).sum(),
        rs.stream().mapToInt(r -> r.notKilledByKeeper().size()).sum(),
        rs.stream().mapToInt(r -> Math.abs(r.victimDowns() - 1)).sum())));
    return out;
  }

  /**
   * Every round completed, no two generations of an exclusive task were alive at once, no lost
   * work was placed back on the silent agent, the keeper of a dead or frozen agent killed
   * every exclusive process it had, and the agent was declared DOWN once per round (not again
   * once it was back).
   */
  @JsonProperty
  public boolean valid() {
    return !rounds.isEmpty() && failedRounds.isEmpty() && overlaps.isEmpty()
        && figures().stream().allMatch(f -> f.placedBackOnVictim() == 0 && f.extraDowns() == 0
            && (f.fault().startsWith("partition") || f.notKilledByKeeper() == 0));
  }

  /** The human report: one row per kind of fault, the overlap count, then what failed. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("agent-faults on 3 coordinators and 3 agents (%s), %d exclusive and %d available "
        + "tasks; times from the fault, ms%n%n", network, exclusiveTasks, availableTasks));
    b.append("| fault | rounds | available: all RUNNING elsewhere, median / max | exclusive: median / max "
        + "| first tick elsewhere, available median / max | exclusive median / max "
        + "| lost work placed back on the silent agent | exclusive not killed by the keeper "
        + "| DOWN verdicts other than the one per round |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : figures()) {
      b.append(String.format("| %s | %d | %d / %d | %d / %d | %d / %d | %d / %d | %d | %s | %d |%n", f.fault(), f.rounds(),
          f.availableMedian(), f.availableMax(), f.exclusiveMedian(), f.exclusiveMax(), f.availableTickMedian(),
          f.availableTickMax(), f.exclusiveTickMedian(), f.exclusiveTickMax(), f.placedBackOnVictim(),
          f.fault().startsWith("partition") ? f.notKilledByKeeper() + " (the agent may kill them itself)"
              : Integer.toString(f.notKilledByKeeper()), f.extraDowns()));
    }
    b.append(String.format("%noverlapping exclusive intervals: %d (over %d handovers; shortest break %s)%n",
        overlaps.size(), handovers, shortestBreakMs < 0 ? "-" : shortestBreakMs + " ms"));
    overlaps.stream().limit(20).forEach(o -> b.append("  overlap: ").append(o).append('\n'));
    if (!failedRounds.isEmpty()) {
      b.append("rounds that did not complete (").append(failedRounds.size()).append("):\n");
      failedRounds.stream().limit(20).forEach(f -> b.append("  ").append(f).append('\n'));
    }
    b.append("result: ").append(valid() ? "PASS" : "FAIL").append("; rounds, ticks and events in ")
        .append(workDir).append('\n');
    return b.toString();
  }

  /** This run's line in a chaos run's summary; recovery is over every round, both modes. */
  public Outcome outcome(long seed) {
    String faults = figures().stream().map(f -> f.fault() + " " + f.rounds())
        .collect(Collectors.joining(", "))
        + (failedRounds.isEmpty() ? "" : " (" + failedRounds.size() + " rounds failed)");
    return new Outcome(AgentFaultsScenario.NAME, seed, faults, rounds.size() + failedRounds.size(), -1, -1,
        overlaps.size(), "-", "agent fault -> its tasks RUNNING elsewhere",
        median(rounds, AgentFaultsReport::allRunningMs), max(rounds, AgentFaultsReport::allRunningMs), valid(),
        workDir);
  }

  /** Fault to the last of the round's tasks, of either mode, RUNNING elsewhere. */
  private static OptionalLong allRunningMs(RoundResult r) {
    return LongStream.concat(r.allRunningMs(false).stream(), r.allRunningMs(true).stream()).max();
  }

  /** Writes report.json and report.md into {@code dir}. */
  public void write(Path dir) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("report.json").toFile(), this);
    Files.writeString(dir.resolve("report.md"), table());
  }

  private static String kind(RoundResult r) {
    return r.secondFault().isEmpty() ? r.fault() : r.fault() + "+" + r.secondFault();
  }

  /** Nearest-rank median. */
  private static long median(List<RoundResult> rs, Function<RoundResult, OptionalLong> f) {
    long[] v = values(rs, f);
    return v.length == 0 ? -1 : v[(v.length + 1) / 2 - 1];
  }

  private static long max(List<RoundResult> rs, Function<RoundResult, OptionalLong> f) {
    long[] v = values(rs, f);
    return v.length == 0 ? -1 : v[v.length - 1];
  }

  private static long[] values(List<RoundResult> rs, Function<RoundResult, OptionalLong> f) {
    return rs.stream().map(f).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sorted().toArray();
  }
}
