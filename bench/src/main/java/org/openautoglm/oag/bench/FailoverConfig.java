package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link FailoverProbe} run. Immutable; build with {@link #builder()}, whose
 * defaults sit beside each field.
 *
 * @param rounds leader kills, one per round
 * @param writers threads writing continuously through one shared connection
 * @param settleTimeout how long the cluster may take to settle before a round (and to take
 *     the last victim back after the last one)
 * @param gapTimeout how long after a kill a write may take to be acknowledged; a round
 *     without one ends the run
 * @param exitTimeout how long a killed process may take to disappear
 * @param maxAppliedGap how far apart the members' applied indexes may be for "settled"
 * @param ackFreshness "settled" also needs a write acknowledged within this much time
 * @param namePrefix the first part of every written key
 */
public record FailoverConfig(
    int rounds,
    int writers,
    Duration settleTimeout,
    Duration gapTimeout,
    Duration exitTimeout,
    long maxAppliedGap,
    Duration ackFreshness,
    String namePrefix) {

  public static final int MAX_ROUNDS = 100;
  public static final int MAX_WRITERS = 64;

  public FailoverConfig {
    if (rounds < 1 || rounds > MAX_ROUNDS) {
      throw new IllegalArgumentException("rounds must be 1.." + MAX_ROUNDS + ": " + rounds);
    }
    if (writers < 1 || writers > MAX_WRITERS) {
      throw new IllegalArgumentException("writers must be 1.." + MAX_WRITERS + ": " + writers);
    }
    requirePositive("settleTimeout", settleTimeout);
    requirePositive("gapTimeout", gapTimeout);
    requirePositive("exitTimeout", exitTimeout);
    requirePositive("ackFreshness", ackFreshness);
    if (maxAppliedGap < 0) {
      throw new IllegalArgumentException("maxAppliedGap must not be negative: " + maxAppliedGap);
    }
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (!namePrefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("bad name prefix '" + namePrefix + "'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Defaults are what {@code oag bench failover} uses. */
  public static final class Builder {
    private int rounds = 10;
    private int writers = 4;
    private Duration settleTimeout = Duration.ofSeconds(60);
    private Duration gapTimeout = Duration.ofSeconds(30);
    private Duration exitTimeout = Duration.ofSeconds(10);
    private long maxAppliedGap = 50;      // Raft entries (group-committed batches)
    private Duration ackFreshness = Duration.ofSeconds(2);
    private String namePrefix = LoadConfig.newNamePrefix("failover");

    private Builder() {}

    public Builder rounds(int v) { rounds = v; return this; }
    public Builder writers(int v) { writers = v; return this; }
    public Builder settleTimeout(Duration v) { settleTimeout = v; return this; }
    public Builder gapTimeout(Duration v) { gapTimeout = v; return this; }
    public Builder exitTimeout(Duration v) { exitTimeout = v; return this; }
    public Builder maxAppliedGap(long v) { maxAppliedGap = v; return this; }
    public Builder ackFreshness(Duration v) { ackFreshness = v; return this; }
    public Builder namePrefix(String v) { namePrefix = v; return this; }

    public FailoverConfig build() {
      return new FailoverConfig(rounds, writers, settleTimeout, gapTimeout, exitTimeout,
          maxAppliedGap, ackFreshness, namePrefix);
    }
  }
}
