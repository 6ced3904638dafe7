package org.openautoglm.oag.bench.etcd;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of one {@link EtcdTarget}, shaped like the coordinator client's {@code
 * ClientConfig} so both targets retry alike. Immutable; build with {@link #builder(String)},
 * whose defaults sit beside each field.
 *
 * @param endpoints etcd client endpoints, host:port, one per member; the leader is looked for
 *     among them, so give every member's
 * @param deadline the deadline of one attempt (one RPC to one member)
 * @param retryBudget the longest one write keeps retrying, attempts, leader look-ups and
 *     backoff included
 * @param initialBackoff first backoff; doubled after each retry up to {@code maxBackoff},
 *     each wait drawn uniformly from [half, full] of that value
 * @param maxBackoff cap of the backoff
 * @param healthDeadline the deadline of each call a health look or a leader look-up makes
 * @param channelFactory opens a channel to one endpoint (default: plaintext Netty); the
 *     target owns and shuts down what it returns
 */
public record EtcdConfig(
    List<String> endpoints,
    Duration deadline,
    Duration retryBudget,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration healthDeadline,
    Function<String, ManagedChannel> channelFactory) {

  /** The client endpoints of {@code bench/etcd-cluster.sh start} with its three members. */
  public static final String SCRIPT_ENDPOINTS = "127.0.0.1:23791,127.0.0.1:23792,127.0.0.1:23793";

  public EtcdConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    requirePositive("deadline", deadline);
    requirePositive("retryBudget", retryBudget);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    requirePositive("healthDeadline", healthDeadline);
    Objects.requireNonNull(channelFactory, "channelFactory");
  }

  /**
   * Parses a comma-separated list of host:port; an {@code http://} in front is dropped (etcd
   * prints its URLs that way), blanks between commas are ignored, duplicates are refused.
   */
  public static List<String> parseEndpoints(String commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String part : Objects.requireNonNull(commaSeparated, "endpoints").split(",")) {
      String e = part.trim();
      if (e.isEmpty()) {
        continue;
      }
      String hostPort = hostPort(e);
      if (hostPort == null) {
        throw new IllegalArgumentException("endpoint '" + e + "': expected host:port "
            + "(or http://host:port; TLS is not supported)");
      }
      if (out.contains(hostPort)) {
        throw new IllegalArgumentException("endpoint '" + e + "' is given twice");
      }
      out.add(hostPort);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    return out;
  }

  /**
   * {@code host:port} of an endpoint or an etcd client URL ({@code http://host:port}, as a
   * member lists it); null when it is neither.
   */
  static String hostPort(String endpointOrUrl) {
    String e = endpointOrUrl.trim();
    if (e.toLowerCase(Locale.ROOT).startsWith("http://")) {
      e = e.substring("http://".length());
      if (e.endsWith("/")) {
        e = e.substring(0, e.length() - 1);
      }
    }
    int colon = e.lastIndexOf(':');
    if (colon <= 0 || colon == e.length() - 1 || e.contains("/")) {
      return null;
    }
    try {
      int port = Integer.parseInt(e.substring(colon + 1));
      return port >= 1 && port <= 65535 ? e : null;
    } catch (NumberFormatException x) {
      return null;
    }
  }

  public static Builder builder(String commaSeparatedEndpoints) {
    return new Builder(parseEndpoints(commaSeparatedEndpoints));
  }

  public static Builder builder(List<String> endpoints) {
    return new Builder(endpoints);
  }

  static ManagedChannel plaintextChannel(String endpoint) {
    return Grpc.newChannelBuilder(endpoint, InsecureChannelCredentials.create())
        .disableRetry() // the writer retries itself, towards the leader
        .build();
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Defaults are the coordinator client's, so both targets retry alike. */
  public static final class Builder {
    private final List<String> endpoints;
    private Duration deadline = Duration.ofSeconds(10);
    private Duration retryBudget = Duration.ofSeconds(30);
    private Duration initialBackoff = Duration.ofMillis(25);
    private Duration maxBackoff = Duration.ofMillis(400);
    // A member that does not answer a status call in this long is as good as down.
    private Duration healthDeadline = Duration.ofMillis(1500);
    private Function<String, ManagedChannel> channelFactory = EtcdConfig::plaintextChannel;

    private Builder(List<String> endpoints) {
      this.endpoints = List.copyOf(endpoints);
    }

    public Builder deadline(Duration v) { deadline = v; return this; }
    public Builder retryBudget(Duration v) { retryBudget = v; return this; }
    public Builder backoff(Duration initial, Duration max) {
      initialBackoff = initial;
      maxBackoff = max;
      return this;
    }
    public Builder healthDeadline(Duration v) { healthDeadline = v; return this; }
    public Builder channelFactory(Function<String, ManagedChannel> v) { channelFactory = v; return this; }

    public EtcdConfig build() {
      return new EtcdConfig(endpoints, deadline, retryBudget, initialBackoff, maxBackoff,
          healthDeadline, channelFactory);
    }
  }
}
