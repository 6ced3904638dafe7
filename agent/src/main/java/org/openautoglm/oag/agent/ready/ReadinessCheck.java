package org.openautoglm.oag.agent.ready;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the agent tells that a running allocation is ready to serve: a TCP connect to {@code
 * tcpPort} on 127.0.0.1 succeeds, or {@code command} exits 0 when run in the allocation's
 * working directory with its environment. Checked every {@code period}; a check that takes
 * longer than {@code timeout} fails. Immutable.
 *
 * @param tcpPort 1-65535, or 0 when {@code command} is the check
 * @param command the program and its arguments, or empty when {@code tcpPort} is the check
 * @param period from the start of one check to the start of the next (sooner when a check
 *     took longer)
 * @param timeout how long one check may take
 */
public record ReadinessCheck(int tcpPort, List<String> command, Duration period, Duration timeout) {
  /** The period and the timeout when the leader names none. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** @throws IllegalArgumentException naming what is wrong, as a refusal's reason */
  public ReadinessCheck {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(timeout, "timeout");
    if (!command.isEmpty() && tcpPort != 0) {
      throw new IllegalArgumentException("readiness names both a port and a command");
    }
    if (command.isEmpty() && (tcpPort < 1 || tcpPort > 65535)) {
      throw new IllegalArgumentException("readiness port " + tcpPort + " outside 1-65535 and no command");
    }
    if (!command.isEmpty() && command.get(0).isEmpty()) {
      throw new IllegalArgumentException("readiness command names no program");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("readiness period must be positive, was " + period.toMillis() + " ms");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("readiness timeout must be positive, was " + timeout.toMillis() + " ms");
    }
  }

  /** A TCP connect check with the default period and timeout. */
  public static ReadinessCheck tcp(int port) {
    return new ReadinessCheck(port, List.of(), DEFAULT_PERIOD, DEFAULT_TIMEOUT);
  }

  /** A command check with the default period and timeout. */
  public static ReadinessCheck command(String... command) {
    return new ReadinessCheck(0, List.of(command), DEFAULT_PERIOD, DEFAULT_TIMEOUT);
  }

  public ReadinessCheck withPeriod(Duration period) {
    return new ReadinessCheck(tcpPort, command, period, timeout);
  }

  public ReadinessCheck withTimeout(Duration timeout) {
    return new ReadinessCheck(tcpPort, command, period, timeout);
  }

  /** Whether it is a TCP check (else a command). */
  public boolean isTcp() {
    return command.isEmpty();
  }
}
