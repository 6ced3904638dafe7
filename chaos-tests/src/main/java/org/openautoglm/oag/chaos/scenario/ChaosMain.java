package org.openautoglm.oag.chaos.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.openautoglm.oag.chaos.net.NetworkLab;

/**
 * Runs the leader-faults scenario once, for longer runs than CI's:
 * {@code chaos-tests/run.sh --seed N --duration 300 [--work DIR]}. Prints the report table;
 * exits 0 when every check passed, 1 when one failed, 2 on bad arguments, 3 when the harness
 * itself failed (no cluster, say) and nothing was checked.
 */
public final class ChaosMain {
  /**
   * At most half an hour of faults: about 150,000 tasks at the workload's rate, which the
   * coordinators' 256 MiB heaps (every task and its dedupe entry stay stored) and the
   * in-memory history and final read hold with room to spare.
   */
  private static final long MAX_SECONDS = 1800;

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    long seconds = 300;
    Path work = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage("missing value for " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--seed" -> seed = Long.parseLong(v);
          case "--duration" -> seconds = Long.parseLong(v);
          case "--work" -> work = Path.of(v);
          default -> usage("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        usage(a + " must be a whole number, was '" + v + "'");
      }
    }
    if (seconds < 1 || seconds > MAX_SECONDS) {
      usage("--duration must be 1 to " + MAX_SECONDS + " seconds, was " + seconds);
    }
    if (work == null) {
      work = Path.of("chaos-tests", "target", "chaos", "run-" + seed + "-" + System.currentTimeMillis());
    }
    Files.createDirectories(work);
    boolean namespaces = NetworkLab.unavailable().isEmpty();
    NetworkLab.unavailable().ifPresent(r -> System.err.println("chaos: no namespaces (" + r
        + "): partitions are skipped"));
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
    System.err.println("chaos: " + message + " (usage: --seed N --duration SECONDS [--work DIR])");
    System.exit(2);
  }
}
