package org.openautoglm.oag.cli;

import java.time.Duration;
import java.util.Locale;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterScript;
import org.openautoglm.oag.bench.OagTarget;
import org.openautoglm.oag.bench.etcd.EtcdConfig;
import org.openautoglm.oag.bench.etcd.EtcdTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --target} and {@code --endpoints} of the benchmarks: which system the same timing
 * code measures. The coordinator is reached through {@link ClientOptions}' {@code --address};
 * etcd through {@code --endpoints}; {@code --timeout} is the retry budget of either.
 */
final class TargetOptions {
  /** The systems the benchmarks know. */
  enum Kind {
    OAG(ClusterScript.COORDINATOR),
    ETCD(ClusterScript.ETCD);

    final ClusterScript script;

    Kind(ClusterScript script) {
      this.script = script;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--target", paramLabel = "oag|etcd", defaultValue = "oag",
      converter = KindConverter.class,
      description = "The system to measure: oag (the coordinator, at --address) or etcd "
          + "(its native gRPC API, at --endpoints) (default: ${DEFAULT-VALUE}).")
  Kind kind = Kind.OAG;

  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd client endpoints, one per member, comma-separated (--target etcd "
          + "only; default: " + EtcdConfig.SCRIPT_ENDPOINTS + ", those of "
          + "bench/etcd-cluster.sh).")
  String endpoints;

  /** Opens the chosen target with the client settings of {@code client}. */
  BenchTarget open(ClientOptions client) {
    return open(client, null, null);
  }

  /**
   * Like {@link #open(ClientOptions)}, with this backoff (initial, max) instead of the
   * client's default when not null. Options that do not fit the target are usage errors
   * naming the option.
   */
  BenchTarget open(ClientOptions client, Duration initialBackoff, Duration maxBackoff) {
    return open(client, initialBackoff, maxBackoff, OagTarget.Write.CREATE);
  }

  /**
   * Like {@link #open(ClientOptions)}, with the coordinator's writes doing {@code write};
   * anything but {@link OagTarget.Write#CREATE} is for the coordinator only.
   */
  BenchTarget open(ClientOptions client, OagTarget.Write write) {
    return open(client, null, null, write);
  }

  private BenchTarget open(ClientOptions client, Duration initialBackoff, Duration maxBackoff,
      OagTarget.Write write) {
    if (kind == Kind.OAG) {
      if (endpoints != null) {
        throw new ParameterException(spec.commandLine(), "--endpoints is for --target etcd; "
            + "the coordinator's addresses are given with --address");
      }
      var config = client.config();
      if (initialBackoff != null) {
        config.backoff(initialBackoff, maxBackoff);
      }
      return new OagTarget(config.build(), write);
    }
    if (client.address != null) {
      throw new ParameterException(spec.commandLine(), "--address is for --target oag; "
          + "etcd's are given with --endpoints");
    }
    if (write != OagTarget.Write.CREATE) {
      throw new ParameterException(spec.commandLine(), "--start is for --target oag: etcd has "
          + "no tasks to run");
    }
    if (client.timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--timeout': must be at least 1 second");
    }
    EtcdConfig.Builder b;
    try {
      b = EtcdConfig.builder(endpoints != null ? endpoints : EtcdConfig.SCRIPT_ENDPOINTS);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--endpoints': " + e.getMessage());
    }
    b.retryBudget(Duration.ofSeconds(client.timeoutSeconds));
    if (initialBackoff != null) {
      b.backoff(initialBackoff, maxBackoff);
    }
    CliContext ctx = CliContext.of(spec);
    if (ctx.channelFactory() != null) {
      b.channelFactory(ctx.channelFactory());
    }
    return new EtcdTarget(b.build());
  }

  /** {@code oag} or {@code etcd}, in any case. */
  static final class KindConverter implements ITypeConverter<Kind> {
    @Override
    public Kind convert(String value) {
      for (Kind k : Kind.values()) {
        if (k.label().equalsIgnoreCase(value.strip())) {
          return k;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a target (oag or etcd)");
    }
  }
}
