package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of one {@link SubmitLoad} run. Immutable; build with {@link #builder(int,
 * Duration)}, whose defaults sit beside each field.
 *
 * @param clients concurrent workers, each with its own connection
 * @param warmup the unrecorded first phase (its throughput is still reported); may be zero
 * @param duration the measured phase
 * @param payloadBytes bytes of random alphanumerics each write carries (fixed per worker)
 * @param rate total writes per second of an open-loop run, spread evenly over the workers;
 *     0 for a closed loop (each worker sends its next write when the last one returns)
 * @param drainTimeout how long calls still in flight at the end may take to finish; what is
 *     still running then is abandoned (and reported)
 * @param sampleInterval how often leadership is sampled during the measured phase; zero
 *     samples only at its start and end
 * @param namePrefix the first part of every written key; unique per run, so a run's writes
 *     can be found (and told apart from another run's) afterwards
 * @param maxWrites at most this many writes are sent in the measured phase, over all workers,
 *     and the phase ends once they have all been answered (before {@code duration} when they
 *     are quick, and then the phase lasts as long as they took); 0 for no bound. Closed loop
 *     only
 */
public record LoadConfig(
    int clients,
    Duration warmup,
    Duration duration,
    int payloadBytes,
    double rate,
    Duration drainTimeout,
    Duration sampleInterval,
    String namePrefix,
    long maxWrites) {

  public static final int MAX_CLIENTS = 4096;
  /** Stays under the coordinator's 64 KiB limit on a serialized task spec. */
  public static final int MAX_PAYLOAD_BYTES = 60_000;

  public LoadConfig {
    if (clients < 1 || clients > MAX_CLIENTS) {
      throw new IllegalArgumentException("clients must be 1.." + MAX_CLIENTS + ": " + clients);
    }
    requireNonNegative("warmup", warmup);
    requireNonNegative("duration", duration);
    if (duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (payloadBytes < 0 || payloadBytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload must be 0.." + MAX_PAYLOAD_BYTES + " bytes: " + payloadBytes);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be a number >= 0 (0 = closed loop): " + rate);
    }
    requireNonNegative("drainTimeout", drainTimeout);
    requireNonNegative("sampleInterval", sampleInterval);
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (!namePrefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException(
          "name prefix must be 1-100 of A-Z a-z 0-9 . _ - : '" + namePrefix + "'");
    }
    if (maxWrites < 0) {
      throw new IllegalArgumentException("writes must not be negative (0 = no bound): " + maxWrites);
    }
    if (maxWrites > 0 && rate > 0) {
      throw new IllegalArgumentException("a bound on the writes needs a closed loop (no rate)");
    }
  }

  /** Whether writes follow a schedule ({@link #rate()} > 0) rather than each other. */
  public boolean openLoop() {
    return rate > 0;
  }

  public static Builder builder(int clients, Duration duration) {
    return new Builder(clients, duration);
  }

  /**
   * {@code <what>-<base36 epoch millis><2 random base36 chars>}: unique enough across runs
   * started by people, and sorted by start time.
   */
  public static String newNamePrefix(String what) {
    String salt = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    return what + "-" + Long.toString(System.currentTimeMillis(), 36) + (salt.length() < 2 ? "0" : "")
        + salt;
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }

  /** Defaults are what {@code oag bench submit} uses. */
  public static final class Builder {
    private final int clients;
    private final Duration duration;
    private Duration warmup = Duration.ofSeconds(10);
    private int payloadBytes = 256;
    private double rate = 0;                        // closed loop
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration sampleInterval = Duration.ofSeconds(1);
    private String namePrefix = newNamePrefix("bench");
    private long maxWrites = 0;                     // bounded by duration only

    private Builder(int clients, Duration duration) {
      this.clients = clients;
      this.duration = duration;
    }

    public Builder warmup(Duration v) { warmup = v; return this; }
    public Builder payloadBytes(int v) { payloadBytes = v; return this; }
    public Builder rate(double v) { rate = v; return this; }
    public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
    public Builder sampleInterval(Duration v) { sampleInterval = v; return this; }
    public Builder namePrefix(String v) { namePrefix = v; return this; }
    public Builder maxWrites(long v) { maxWrites = v; return this; }

    public LoadConfig build() {
      return new LoadConfig(clients, warmup, duration, payloadBytes, rate, drainTimeout,
          sampleInterval, namePrefix, maxWrites);
    }
  }
}
