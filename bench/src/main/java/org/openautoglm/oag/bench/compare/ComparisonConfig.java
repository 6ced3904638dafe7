package org.openautoglm.oag.bench.compare;

import java.time.Duration;
import java.util.List;
import org.openautoglm.oag.bench.LoadConfig;

/**
 * Settings of one {@link Comparison}. Immutable; build with {@link #builder()}, whose
 * defaults are those of {@code bench/compare-etcd.sh}.
 *
 * @param levels client counts, each measured in {@code rounds} rounds
 * @param rounds rounds per level; a round is one run of each system, in alternation
 * @param duration measured phase of one run
 * @param runWarmup unrecorded warm-up at the start of each run
 * @param initialWarmup load at the highest level before anything is measured, per system,
 *     reported in steps of {@code warmupStep}: a fresh JVM needs minutes of load before
 *     its throughput settles
 * @param warmupStep one reported step of the initial warm-up
 * @param payloadBytes bytes of each written value
 * @param failoverRounds leader kills per system
 * @param maxForeignCores a round during which other processes used more CPU than this
 *     (in cores) is run again
 * @param maxReruns at most this many extra rounds per level; after that a round under
 *     foreign load is kept and flagged
 */
public record ComparisonConfig(
    List<Integer> levels,
    int rounds,
    Duration duration,
    Duration runWarmup,
    Duration initialWarmup,
    Duration warmupStep,
    int payloadBytes,
    int failoverRounds,
    double maxForeignCores,
    int maxReruns) {

  public static final int MAX_ROUNDS = 20;

  public ComparisonConfig {
    levels = List.copyOf(levels);
    if (levels.isEmpty() || levels.stream().anyMatch(c -> c < 1 || c > 1024)) {
      throw new IllegalArgumentException("levels must be 1 to 1024 clients each: " + levels);
    }
    if (rounds < 1 || rounds > MAX_ROUNDS) {
      throw new IllegalArgumentException("rounds must be 1.." + MAX_ROUNDS + ": " + rounds);
    }
    requirePositive("duration", duration);
    requirePositive("warmupStep", warmupStep);
    if (runWarmup.isNegative() || initialWarmup.isNegative()) {
      throw new IllegalArgumentException("warm-ups must not be negative");
    }
    if (payloadBytes < 0 || payloadBytes > LoadConfig.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("payload must be 0 to " + LoadConfig.MAX_PAYLOAD_BYTES
          + " bytes: " + payloadBytes);
    }
    if (failoverRounds < 0 || failoverRounds > 100) {
      throw new IllegalArgumentException("failover rounds must be 0..100: " + failoverRounds);
    }
    if (!(maxForeignCores > 0) || maxReruns < 0 || maxReruns > MAX_ROUNDS) {
      throw new IllegalArgumentException("foreign load limit must be above 0 and reruns 0.."
          + MAX_ROUNDS);
    }
  }

  /** The most clients of any level, used for the initial warm-up. */
  int topLevel() {
    return levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults are those of {@code bench/compare-etcd.sh}. */
  public static final class Builder {
    private List<Integer> levels = List.of(1, 16, 64);
    private int rounds = 3;
    private Duration duration = Duration.ofSeconds(30);
    private Duration runWarmup = Duration.ofSeconds(5);
    private Duration initialWarmup = Duration.ofSeconds(120);
    private Duration warmupStep = Duration.ofSeconds(15);
    private int payloadBytes = 256;
    private int failoverRounds = 5;
    private double maxForeignCores = 0.3;
    private int maxReruns = 2;

    private Builder() {}

    public Builder levels(List<Integer> v) { levels = v; return this; }
    public Builder rounds(int v) { rounds = v; return this; }
    public Builder duration(Duration v) { duration = v; return this; }
    public Builder runWarmup(Duration v) { runWarmup = v; return this; }
    public Builder initialWarmup(Duration v) { initialWarmup = v; return this; }
    public Builder warmupStep(Duration v) { warmupStep = v; return this; }
    public Builder payloadBytes(int v) { payloadBytes = v; return this; }
    public Builder failoverRounds(int v) { failoverRounds = v; return this; }
    public Builder maxForeignCores(double v) { maxForeignCores = v; return this; }
    public Builder maxReruns(int v) { maxReruns = v; return this; }

    public ComparisonConfig build() {
      return new ComparisonConfig(levels, rounds, duration, runWarmup, initialWarmup,
          warmupStep, payloadBytes, failoverRounds, maxForeignCores, maxReruns);
    }
  }
}
