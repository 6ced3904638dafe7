package org.openautoglm.oag.chaos.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.chaos.net.NetworkLab;

/**
 * {@code oag chaos run} (and {@code chaos-tests/run.sh}): runs one scenario, or every one in
 * turn on a fresh cluster each, and prints each report and then the summary table; see {@link
 * ChaosArgs} for the command line. With {@code --duration}, {@code all} splits it evenly
 * between the scenarios; agent-faults turns its share into rounds (a cycle of kill -9,
 * SIGSTOP, partition and kill -9 with a leader kill takes about a minute). Each scenario's
 * files go to a directory of its own under the work directory, the summary to {@code
 * summary.md} and {@code summary.json} in it.
 *
 * <p>Exit code: 0 every check of every scenario passed, 1 a check failed, 2 bad arguments, 3
 * the harness itself failed (no cluster, say) before a scenario's checks.
 */
public final class ChaosMain {
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(300);
  private static final int DEFAULT_KILLS = 10;
  private static final Duration AGENT_CYCLE = Duration.ofSeconds(60);

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    ChaosArgs a;
    try {
      a = ChaosArgs.parse(args);
    } catch (ChaosArgs.BadArgs e) {
      System.err.println("chaos: " + e.getMessage() + " (" + ChaosArgs.USAGE + ")");
      System.exit(2);
      return;
    }
    boolean namespaces = !a.loopback() && NetworkLab.unavailable().isEmpty();
    if (!a.loopback()) {
      NetworkLab.unavailable().ifPresent(r -> System.err.println("chaos: no namespaces (" + r
          + "): partitions are skipped"));
    }
    List<String> scenarios = a.scenarios();
    List<Outcome> outcomes = new ArrayList<>();
    for (String scenario : scenarios) {
      Path dir = scenarios.size() == 1 ? a.work() : a.work().resolve(scenario);
      Files.createDirectories(dir);
      System.err.println("chaos: " + scenario + " seed " + a.seed() + ", files in " + dir);
      try {
        outcomes.add(run(scenario, a, scenarios.size(), namespaces, dir));
      } catch (IllegalArgumentException e) {
        System.err.println("chaos: " + e.getMessage() + " (" + ChaosArgs.USAGE + ")");
        System.exit(2);
        return;
      } catch (Exception e) {
        System.err.println("chaos: " + scenario + " failed before its checks (seed " + a.seed()
            + ", work " + dir + "): " + e);
        System.exit(3);
        return;
      }
    }
    String summary = Outcome.table(outcomes);
    System.out.println(summary);
    writeSummary(a.work(), summary, outcomes);
    for (Outcome o : outcomes) {
      if (!o.valid()) {
        System.err.println("chaos: " + o.scenario() + " FAILED: its history, ticks, events, node logs and report are in "
            + o.workDir() + "; rerun it with: oag chaos run --scenario " + o.scenario() + " --seed " + a.seed()
            + (a.duration() == null ? "" : " --duration " + a.duration().dividedBy(scenarios.size()).toSeconds()));
      }
    }
    System.exit(outcomes.stream().allMatch(Outcome::valid) ? 0 : 1);
  }

  private static Outcome run(String scenario, ChaosArgs a, int scenarios, boolean namespaces, Path dir)
      throws Exception {
    Duration share = a.duration() == null ? null : a.duration().dividedBy(scenarios);
    if (scenario.equals(AgentFaultsScenario.NAME)) {
      AgentFaultsReport report = AgentFaultsScenario.run(agentConfig(a, share, namespaces, dir));
      System.out.println(report.table());
      return report.outcome(a.seed());
    }
    Duration duration = share == null ? DEFAULT_DURATION : share;
    ScenarioReport report = FaultScenario.run(scenario, scenario.equals(FaultScenario.MIXED)
        ? ScenarioConfig.mixed(a.seed(), duration, dir, namespaces)
        : ScenarioConfig.of(a.seed(), duration, dir, namespaces));
    System.out.println(report.table());
    return report.outcome();
  }

  /**
   * With a duration: a cycle of every kind of round per minute of it (at least one). Without:
   * the counts given, 10 kills and as many partitions where namespaces exist by default.
   */
  static AgentFaultsConfig agentConfig(ChaosArgs a, Duration share, boolean namespaces, Path dir) {
    if (share != null && a.kills().isEmpty() && a.partitions().isEmpty() && a.leaderKills() == 0) {
      int cycles = (int) Math.max(1, share.toSeconds() / AGENT_CYCLE.toSeconds());
      return new AgentFaultsConfig(cycles, namespaces ? cycles : 0, cycles, 3, 3, Duration.ofSeconds(60),
          dir, namespaces);
    }
    int kills = a.kills().orElse(DEFAULT_KILLS);
    int cuts = a.partitions().orElse(namespaces ? kills : 0);
    return new AgentFaultsConfig(kills, cuts, a.leaderKills(), 3, 3, Duration.ofSeconds(60), dir, namespaces);
  }

  private static void writeSummary(Path work, String table, List<Outcome> outcomes) throws IOException {
    Files.writeString(work.resolve("summary.md"), table);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(work.resolve("summary.json").toFile(), outcomes);
  }
}
