package org.openautoglm.oag.cli;

import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --address}, shared by every command that talks to a cluster. */
final class ClientOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = {"-a", "--address"}, paramLabel = "HOST:PORT[,...]",
      description = "Coordinator API addresses, comma-separated "
          + "(default: $OAG_ADDR, else " + CliContext.DEFAULT_ADDRESSES + ").")
  String address;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      converter = Units.NonNegativeInt.class,
      description = "Give up after this many seconds of retrying (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 30;

  /** A client with the CLI's stable client id; the caller closes it. */
  CoordinatorClient connect() {
    return CoordinatorClient.connect(config().build());
  }

  /**
   * The settings {@link #connect()} uses, for commands that open several clients or tune
   * them (the benchmarks). Bad options are usage errors naming the option.
   */
  ClientConfig.Builder config() {
    CliContext ctx = CliContext.of(spec);
    String addresses = address != null ? address : ctx.defaultAddresses();
    ClientConfig.Builder b;
    try {
      b = ClientConfig.builder(addresses);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--address': " + e.getMessage());
    }
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--timeout': must be at least 1 second");
    }
    b.clientId(ctx.clientId()).retryBudget(java.time.Duration.ofSeconds(timeoutSeconds));
    if (ctx.channelFactory() != null) {
      b.channelFactory(ctx.channelFactory());
    }
    return b;
  }
}
