package org.openautoglm.oag.agent.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link CoordinatorLink} behaves; see its class comment. Immutable, checked when built.
 *
 * @param coordinators {@code host:port} of each coordinator's API, tried in this order
 * @param heartbeat the interval between heartbeats, unless the register reply names one
 */
public record LinkSettings(String nodeId, String bootId, List<String> coordinators,
    Duration heartbeat, Duration backoffMin, Duration backoffMax, Duration idleTimeout) {
  public LinkSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(bootId, "bootId");
    coordinators = List.copyOf(coordinators);
    if (coordinators.isEmpty()) {
      throw new IllegalArgumentException("no coordinators");
    }
    coordinators.forEach(LinkSettings::hostPort);
    if (heartbeat.isNegative() || heartbeat.isZero() || backoffMin.isNegative()
        || backoffMax.compareTo(backoffMin) < 0 || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("bad link timing: " + heartbeat + ", backoff "
          + backoffMin + ".." + backoffMax + ", idle " + idleTimeout);
    }
  }

  /** Splits {@code host:port} (an IPv6 host in brackets); throws on anything else. */
  static String[] hostPort(String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException("not host:port: " + target);
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = target.substring(colon + 1);
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not host:port: " + target);
    }
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port out of range: " + target);
    }
    return new String[] {host, port};
  }
}
