package org.openautoglm.oag.chaos.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One run of the agent-faults scenario.
 *
 * @param kills rounds of agent kill -9, and as many of agent SIGSTOP past the TTL
 * @param partitions rounds of an agent cut off from every coordinator (namespaces only)
 * @param leaderKills rounds of agent kill -9 with the leader killed during the reassignment
 * @param exclusive exclusive reporter tasks
 * @param available available reporter tasks
 * @param within the bound of every wait in a round (a round that overruns one fails)
 * @param workDir node data and logs, ticks, events and the report
 * @param isolatedNetwork every node in its own namespace (partitions possible) or all on loopback
 */
public record AgentFaultsConfig(int kills, int partitions, int leaderKills, int exclusive, int available,
    Duration within, Path workDir, boolean isolatedNetwork) {
  /** Bounds the run: at most this many rounds of each kind (a round takes 10 to 20 s). */
  public static final int MAX_ROUNDS = 100;

  public AgentFaultsConfig {
    Objects.requireNonNull(workDir, "workDir");
    check("kills", kills, 0, MAX_ROUNDS);
    check("partitions", partitions, 0, MAX_ROUNDS);
    check("leaderKills", leaderKills, 0, MAX_ROUNDS);
    check("exclusive", exclusive, 1, 10);
    check("available", available, 1, 10);
    if (kills + partitions + leaderKills == 0) {
      throw new IllegalArgumentException("no rounds to run");
    }
    if (partitions > 0 && !isolatedNetwork) {
      throw new IllegalArgumentException("partitions need namespaces");
    }
  }

  /** {@code kills} rounds each of kill -9 and SIGSTOP, as many partitions where namespaces exist, 3 + 3 tasks. */
  public static AgentFaultsConfig of(int kills, Path workDir, boolean isolatedNetwork) {
    return new AgentFaultsConfig(kills, isolatedNetwork ? kills : 0, 0, 3, 3, Duration.ofSeconds(60), workDir,
        isolatedNetwork);
  }

  private static void check(String name, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + v);
    }
  }
}
