package org.openautoglm.oag.cli;

import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What commands take from outside the command line: the environment, the home directory,
 * the client id, and (for tests) how to open a channel. Immutable.
 *
 * @param channelFactory null for the default plaintext transport
 */
public record CliContext(
    Map<String, String> env, Path home, String clientId,
    Function<String, ManagedChannel> channelFactory) {

  public static final String DEFAULT_ADDRESSES = "127.0.0.1:7070,127.0.0.1:7071,127.0.0.1:7072";

  public CliContext {
    env = Map.copyOf(env);
  }

  static CliContext fromSystem() {
    return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")),
        stableClientId(), null);
  }

  /**
   * {@code cli:<user>@<host>}: stable across shells, so a write retried with the same
   * {@code --request-id} from a fresh shell is deduplicated by the coordinator.
   */
  static String stableClientId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return "cli:" + System.getProperty("user.name") + "@" + host;
  }

  /** Coordinator addresses: OAG_ADDR, else the local default. */
  String defaultAddresses() {
    String a = env.get("OAG_ADDR");
    return a == null || a.isBlank() ? DEFAULT_ADDRESSES : a;
  }

  /** The context of the running command line. */
  static CliContext of(CommandSpec spec) {
    return ((Main) spec.root().userObject()).context();
  }
}
