package org.openautoglm.oag.chaos.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.openautoglm.oag.chaos.net.NetworkLab;

/**
 * Runs one scenario once, for longer runs than CI's:
 * <ul>
 *   <li>{@code chaos-tests/run.sh [--scenario leader-faults] --seed N --duration 300 [--work DIR]}
 *   <li>{@code chaos-tests/run.sh --scenario agent-faults --kills 10 [--partitions N]
 *       [--leader-kills N] [--loopback] [--work DIR]}: N rounds each of agent kill -9 and
 *       SIGSTOP (and by default as many partitions where namespaces exist, none with
 *       {@code --loopback})
 * </ul>
 * Prints the report table; exits 0 when every check passed, 1 when one failed, 2 on bad
 * arguments, 3 when the harness itself failed (no cluster, say) and nothing was checked.
 */
public final class ChaosMain {
  /**
   * At most half an hour of faults: about 150,000 tasks at the workload's rate, which the
   * coordinators' 256 MiB heaps (every task and its dedupe entry stay stored) and the
   * in-memory history and final read hold with room to spare.
   */
  private static final long MAX_SECONDS = 1800;
  private static final String USAGE = "usage: [--scenario leader-faults] --seed N --duration SECONDS [--work DIR]"
      + " | --scenario agent-faults --kills N [--partitions N] [--leader-kills N] [--loopback] [--work DIR]";

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    String scenario = LeaderFaultsScenario.NAME;
    long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    long seconds = 300;
    int kills = 10;
    Integer partitions = null;
    int leaderKills = 0;
    boolean loopback = false;
    Path work = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--loopback")) {
        loopback = true;
        continue;
      }
      if (i + 1 >= args.length) {
        usage("missing value for " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--scenario" -> scenario = v;
          case "--seed" -> seed = Long.parseLong(v);
          case "--duration" -> seconds = Long.parseLong(v);
          case "--kills" -> kills = Integer.parseInt(v);
          case "--partitions" -> partitions = Integer.parseInt(v);
          case "--leader-kills" -> leaderKills = Integer.parseInt(v);
          case "--work" -> work = Path.of(v);
          default -> usage("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        usage(a + " must be a whole number, was '" + v + "'");
      }
    }
    if (!scenario.equals(LeaderFaultsScenario.NAME) && !scenario.equals(AgentFaultsScenario.NAME)) {
      usage("unknown scenario '" + scenario + "'");
    }
    if (seconds < 1 || seconds > MAX_SECONDS) {
      usage("--duration must be 1 to " + MAX_SECONDS + " seconds, was " + seconds);
    }
    if (work == null) {
      work = Path.of("chaos-tests", "target", "chaos", "run-" + scenario + "-" + seed + "-" + System.currentTimeMillis());
    }
    Files.createDirectories(work);
    boolean namespaces = !loopback && NetworkLab.unavailable().isEmpty();
    if (!loopback) {
      NetworkLab.unavailable().ifPresent(r -> System.err.println("chaos: no namespaces (" + r
          + "): partitions are skipped"));
    }
    if (scenario.equals(AgentFaultsScenario.NAME)) {
      AgentFaultsConfig config = null;
      try {
        int cuts = partitions != null ? partitions : namespaces ? kills : 0;
        config = new AgentFaultsConfig(kills, cuts, leaderKills, 3, 3, Duration.ofSeconds(60),
            work.toAbsolutePath(), namespaces);
      } catch (IllegalArgumentException e) {
        usage(e.getMessage());
      }
      AgentFaultsReport report;
      try {
        report = AgentFaultsScenario.run(config);
      } catch (Exception e) {
        System.err.println("chaos: the run failed before its checks (work " + work + "): " + e);
        System.exit(3);
        return;
      }
      System.out.println(report.table());
      System.exit(report.valid() ? 0 : 1);
      return;
    }
    ScenarioReport report;
    try {
      report = LeaderFaultsScenario.run(ScenarioConfig.of(seed, Duration.ofSeconds(seconds),
          work.toAbsolutePath(), namespaces));
    } catch (Exception e) {
      System.err.println("chaos: the run failed before its checks (seed " + seed + ", work " + work
          + "): " + e);
      System.exit(3);
      return;
    }
    System.out.println(report.table());
    System.exit(report.valid() ? 0 : 1);
  }

  private static void usage(String message) {
    System.err.println("chaos: " + message + " (" + USAGE + ")");
    System.exit(2);
  }
}
