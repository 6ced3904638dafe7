package org.openautoglm.oag.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Settings of one {@link CoordinatorClient}. Immutable; build with {@link #builder(String)},
 * whose defaults sit beside each field.
 *
 * @param addresses coordinator API addresses, host:port, tried in order until the leader is
 *     found; learned leader addresses are added at run time
 * @param clientId the idempotency key's client half; a random UUID unless given. Give a
 *     stable one (the CLI uses {@code cli:user@host}) when a request id may be retried from
 *     another process
 * @param deadline the deadline of one attempt (one RPC to one node)
 * @param retryBudget the longest one logical call keeps retrying, attempts and backoff
 *     included; no attempt is given a deadline past it
 * @param initialBackoff first backoff; doubled after each retry up to {@code maxBackoff},
 *     each wait drawn uniformly from [half, full] of that value (jitter)
 * @param maxBackoff cap of the backoff
 * @param channelFactory opens a channel to one address (default: plaintext Netty); replace
 *     it for TLS or to reach in-process test servers. The client owns and shuts down what it
 *     returns
 */
public record ClientConfig(
    List<String> addresses,
    String clientId,
    Duration deadline,
    Duration retryBudget,
    Duration initialBackoff,
    Duration maxBackoff,
    Function<String, ManagedChannel> channelFactory) {

  public ClientConfig {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no coordinator address given");
    }
    Objects.requireNonNull(clientId, "clientId");
    requirePositive("deadline", deadline);
    requirePositive("retryBudget", retryBudget);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    Objects.requireNonNull(channelFactory, "channelFactory");
  }

  /** Parses a comma-separated list of host:port; blanks between commas are ignored. */
  public static List<String> parseAddresses(String commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String part : Objects.requireNonNull(commaSeparated, "addresses").split(",")) {
      String a = part.trim();
      if (a.isEmpty()) {
        continue;
      }
      int colon = a.lastIndexOf(':');
      if (colon <= 0 || colon == a.length() - 1) {
        throw new IllegalArgumentException("address '" + a + "': expected host:port");
      }
      try {
        int port = Integer.parseInt(a.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("address '" + a + "': port out of range");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("address '" + a + "': port is not a number");
      }
      out.add(a);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no coordinator address given");
    }
    return out;
  }

  public static Builder builder(String commaSeparatedAddresses) {
    return new Builder(parseAddresses(commaSeparatedAddresses));
  }

  public static Builder builder(List<String> addresses) {
    return new Builder(addresses);
  }

  static ManagedChannel plaintextChannel(String address) {
    return Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
        .disableRetry() // the client retries itself, with its own idempotency keys
        .build();
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Defaults are what the client ships with. */
  public static final class Builder {
    private final List<String> addresses;
    private String clientId = UUID.randomUUID().toString();
    private Duration deadline = Duration.ofSeconds(10);
    private Duration retryBudget = Duration.ofSeconds(30);
    private Duration initialBackoff = Duration.ofMillis(25);
    // An election takes about a second; a longer cap would dominate what a failover costs a client.
    private Duration maxBackoff = Duration.ofMillis(400);
    private Function<String, ManagedChannel> channelFactory = ClientConfig::plaintextChannel;

    private Builder(List<String> addresses) {
      this.addresses = List.copyOf(addresses);
    }

    public Builder clientId(String v) { clientId = v; return this; }
    public Builder deadline(Duration v) { deadline = v; return this; }
    public Builder retryBudget(Duration v) { retryBudget = v; return this; }
    public Builder backoff(Duration initial, Duration max) {
      initialBackoff = initial;
      maxBackoff = max;
      return this;
    }
    public Builder channelFactory(Function<String, ManagedChannel> v) { channelFactory = v; return this; }

    public ClientConfig build() {
      return new ClientConfig(addresses, clientId, deadline, retryBudget, initialBackoff,
          maxBackoff, channelFactory);
    }
  }
}
