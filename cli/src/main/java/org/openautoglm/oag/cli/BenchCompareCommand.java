package org.openautoglm.oag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterScript;
import org.openautoglm.oag.bench.LocalClusterControl;
import org.openautoglm.oag.bench.OagTarget;
import org.openautoglm.oag.bench.compare.Comparison;
import org.openautoglm.oag.bench.compare.ComparisonConfig;
import org.openautoglm.oag.bench.compare.ComparisonReport;
import org.openautoglm.oag.bench.compare.ResultsText;
import org.openautoglm.oag.bench.etcd.EtcdConfig;
import org.openautoglm.oag.bench.etcd.EtcdTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oag bench compare}: the coordinator and etcd side by side, through the same timing
 * code, against clusters already started by {@code deploy/local-cluster.sh} and {@code
 * bench/etcd-cluster.sh} ({@code bench/compare-etcd.sh} does all of it). The measuring is
 * the bench module's {@link Comparison}; this class turns options into its config and
 * prints (and optionally writes) the results.
 */
@Command(name = "compare",
    description = {"The coordinator and etcd side by side: write throughput and latency at "
        + "each client level, in alternating rounds, then leader kills of each.",
        "Both clusters must be running (bench/compare-etcd.sh starts them, runs this and "
        + "stops them). Rounds under foreign CPU load are run again."})
final class BenchCompareCommand implements Callable<Integer> {
  /** Backoff of both systems' clients: after a leader kill they should find the new one fast. */
  private static final Duration BACKOFF_MIN = Duration.ofMillis(20);
  private static final Duration BACKOFF_MAX = Duration.ofMillis(200);
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "The coordinators' --data of deploy/local-cluster.sh.")
  Path data;

  @Option(names = "--etcd-data", required = true, paramLabel = "DIR",
      description = "etcd's --data of bench/etcd-cluster.sh.")
  Path etcdData;

  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd client endpoints (default: " + EtcdConfig.SCRIPT_ENDPOINTS + ").")
  String endpoints;

  @Option(names = "--levels", paramLabel = "N[,N...]", defaultValue = "1,16,64", split = ",",
      description = "Client counts (default: ${DEFAULT-VALUE}).")
  List<Integer> levels;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      converter = Units.NonNegativeInt.class,
      description = "Rounds per level, each one run of each system (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s",
      converter = BenchCommand.Time.class,
      description = "Measured phase of each run (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s",
      converter = BenchCommand.Time.class,
      description = "Unrecorded start of each run (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--initial-warmup", paramLabel = "TIME", defaultValue = "90s",
      converter = BenchCommand.Time.class,
      description = "Load at the highest level before anything is measured, per system, "
          + "reported every 15 s (default: ${DEFAULT-VALUE}).")
  Duration initialWarmup;

  @Option(names = "--failover-rounds", paramLabel = "N", defaultValue = "5",
      converter = Units.NonNegativeInt.class,
      description = "Leader kills per system; 0 skips them (default: ${DEFAULT-VALUE}).")
  int failoverRounds;

  @Option(names = "--max-foreign-cpu", paramLabel = "CORES", defaultValue = "0.3",
      description = "A round during which other processes used more CPU than this is run "
          + "again, at most twice per level (default: ${DEFAULT-VALUE}).")
  double maxForeignCpu;

  @Option(names = "--results", paramLabel = "FILE",
      description = "Also write the whole record (table, command, machine, settings, every "
          + "run) as Markdown to FILE.")
  Path results;

  @Option(names = "--command", paramLabel = "TEXT",
      description = "The command line to record in --results (default: this one).")
  String command;

  @Option(names = "--note", paramLabel = "TEXT",
      description = "A line for the settings section of --results (repeatable).")
  List<String> notes = new ArrayList<>();

  @Override
  public Integer call() {
    ComparisonConfig config;
    try {
      config = ComparisonConfig.builder().levels(levels).rounds(rounds).duration(duration)
          .runWarmup(warmup).initialWarmup(initialWarmup).failoverRounds(failoverRounds)
          .maxForeignCores(maxForeignCpu).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    EtcdConfig etcdConfig;
    try {
      etcdConfig = EtcdConfig.builder(endpoints != null ? endpoints : EtcdConfig.SCRIPT_ENDPOINTS)
          .retryBudget(Duration.ofSeconds(client.timeoutSeconds))
          .backoff(BACKOFF_MIN, BACKOFF_MAX).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--endpoints': " + e.getMessage());
    }
    String remedy = "run it from the repository (bench/compare-etcd.sh does)";
    Path oagScript = BenchCommand.findScript(spec, ClusterScript.COORDINATOR, remedy);
    Path etcdScript = BenchCommand.findScript(spec, ClusterScript.ETCD, remedy);
    PrintWriter err = spec.commandLine().getErr();
    try (BenchTarget oag = new OagTarget(client.config().backoff(BACKOFF_MIN, BACKOFF_MAX).build());
        BenchTarget etcd = new EtcdTarget(etcdConfig)) {
      Comparison.Subject a = new Comparison.Subject("oag", oag, new LocalClusterControl(
          ClusterScript.COORDINATOR, data, oagScript, oag.health().members().size(),
          RESTART_TIMEOUT));
      Comparison.Subject b = new Comparison.Subject("etcd", etcd, new LocalClusterControl(
          ClusterScript.ETCD, etcdData, etcdScript, etcd.health().members().size(),
          RESTART_TIMEOUT));
      ComparisonReport r = new Comparison(a, b, config, line -> {
        err.println("oag bench: " + line);
        err.flush();
      }).run();
      PrintWriter out = spec.commandLine().getOut();
      out.print(ResultsText.table(r));
      out.flush();
      if (results != null) {
        String cmd = command != null ? command : "oag bench compare " + String.join(" ",
            spec.commandLine().getParseResult().originalArgs());
        try {
          ResultsText.write(results, r, cmd, notes);
        } catch (IOException e) {
          err.println("oag: cannot write " + results + ": " + e.getMessage());
          err.flush();
          return Errors.FAILURE;
        }
        err.println("oag bench: results written to " + results);
        err.flush();
      }
      boolean failoverError = r.failovers().values().stream().anyMatch(f -> f.error() != null);
      return failoverError ? Errors.FAILURE : Errors.OK;
    }
  }
}
