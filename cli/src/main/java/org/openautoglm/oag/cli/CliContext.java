package org.openautoglm.oag.cli;

import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.nio.file.Files;
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
    return "cli:" + System.getProperty("user.name") + "@" + hostName();
  }

  /** The kernel's host name first: a DNS lookup could stall every CLI call. */
  private static String hostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (Exception e) {
      // not Linux: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
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
