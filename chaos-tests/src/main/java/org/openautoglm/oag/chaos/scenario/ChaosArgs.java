package org.openautoglm.oag.chaos.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The command line of a chaos run: {@code [run] [--scenario NAME|all] [--duration 10m]
 * [--seed N] [--work DIR] [--loopback]}, and for agent-faults alone {@code --kills N
 * [--partitions N] [--leader-kills N]}. A duration is whole seconds, or a number followed by
 * {@code s}, {@code m} or {@code h}. Without {@code --duration}, agent-faults runs the rounds
 * its counts ask for (10 kills by default) and every other scenario 300 s.
 *
 * @param duration null when not given
 * @param kills empty when not given
 */
public record ChaosArgs(String scenario, long seed, Duration duration, OptionalInt kills,
    OptionalInt partitions, int leaderKills, boolean loopback, Path work) {

  /** Every scenario, in the order {@code all} runs them. */
  public static final List<String> SCENARIOS = List.of(FaultScenario.LEADER_FAULTS, AgentFaultsScenario.NAME,
      FaultScenario.LAGGING_FOLLOWER, FaultScenario.MIXED);
  public static final String ALL = "all";
  /**
   * At most half an hour of faults: about 150,000 tasks at the workload's rate, which the
   * coordinators' 256 MiB heaps (every task and its dedupe entry stay stored) and the
   * in-memory history and final read hold with room to spare.
   */
  public static final Duration MAX_DURATION = Duration.ofMinutes(30);
  public static final String USAGE = "usage: oag chaos run [--scenario " + String.join("|", SCENARIOS)
      + "|all] [--duration 10m] [--seed N] [--work DIR] [--loopback]"
      + " [--kills N --partitions N --leader-kills N (agent-faults)]";

  /** Thrown for a command line that cannot be run; the message names the option. */
  public static final class BadArgs extends Exception {
    BadArgs(String message) {
      super(message);
    }
  }

  public static ChaosArgs parse(String... args) throws BadArgs {
    String scenario = ALL;
    long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    Duration duration = null;
    OptionalInt kills = OptionalInt.empty();
    OptionalInt partitions = OptionalInt.empty();
    int leaderKills = 0;
    boolean loopback = false;
    Path work = null;
    int first = args.length > 0 && args[0].equals("run") ? 1 : 0;
    for (int i = first; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--loopback")) {
        loopback = true;
        continue;
      }
      if (!a.startsWith("--")) {
        throw new BadArgs("unexpected argument '" + a + "'");
      }
      if (i + 1 >= args.length) {
        throw new BadArgs("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--scenario" -> scenario = v;
        case "--seed" -> seed = whole(a, v);
        case "--duration" -> duration = duration(v);
        case "--kills" -> kills = OptionalInt.of((int) whole(a, v));
        case "--partitions" -> partitions = OptionalInt.of((int) whole(a, v));
        case "--leader-kills" -> leaderKills = (int) whole(a, v);
        case "--work" -> work = Path.of(v);
        default -> throw new BadArgs("unknown option " + a);
      }
    }
    if (!scenario.equals(ALL) && !SCENARIOS.contains(scenario)) {
      throw new BadArgs("--scenario must be one of " + String.join(", ", SCENARIOS) + " or all, was '"
          + scenario + "'");
    }
    if ((kills.isPresent() || partitions.isPresent() || leaderKills != 0)
        && !scenario.equals(AgentFaultsScenario.NAME)) {
      throw new BadArgs("--kills, --partitions and --leader-kills are for --scenario agent-faults");
    }
    if (work == null) {
      work = Path.of("chaos-tests", "target", "chaos",
          "run-" + scenario + "-" + seed + "-" + System.currentTimeMillis());
    }
    return new ChaosArgs(scenario, seed, duration, kills, partitions, leaderKills, loopback,
        work.toAbsolutePath());
  }

  /** The scenarios this run runs. */
  public List<String> scenarios() {
    return scenario.equals(ALL) ? SCENARIOS : List.of(scenario);
  }

  private static long whole(String option, String v) throws BadArgs {
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new BadArgs(option + " must not be negative, was " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadArgs(option + " must be a whole number, was '" + v + "'");
    }
  }

  static Duration duration(String v) throws BadArgs {
    String s = v.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!s.isEmpty() && "smh".indexOf(s.charAt(s.length() - 1)) >= 0) {
      char c = s.charAt(s.length() - 1);
      unit = c == 's' ? 1 : c == 'm' ? 60 : 3600;
      s = s.substring(0, s.length() - 1);
    }
    long seconds;
    try {
      seconds = Math.multiplyExact(Long.parseLong(s), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new BadArgs("--duration must be seconds or a number with s, m or h (10m), was '" + v + "'");
    }
    Duration d = Duration.ofSeconds(seconds);
    if (d.isZero() || d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw new BadArgs("--duration must be 1 s to " + MAX_DURATION.toMinutes() + " m, was '" + v + "'");
    }
    return d;
  }
}
