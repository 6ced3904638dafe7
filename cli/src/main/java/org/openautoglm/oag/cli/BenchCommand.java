package org.openautoglm.oag.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterScript;
import org.openautoglm.oag.bench.FailoverConfig;
import org.openautoglm.oag.bench.FailoverProbe;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.LoadConfig;
import org.openautoglm.oag.bench.LocalClusterControl;
import org.openautoglm.oag.bench.OagTarget;
import org.openautoglm.oag.bench.PlacementReport;
import org.openautoglm.oag.bench.PlacementWatch;
import org.openautoglm.oag.bench.SubmitLoad;
import org.openautoglm.oag.bench.SubmitReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code oag bench ...}: submit (write throughput and latency), failover (leader kill to the
 * next acknowledged write), against the coordinator or etcd ({@code --target}); compare; agents
 * (simulated agents, {@link BenchAgentsCommand}). The
 * measuring is the bench module's; this class only turns options into its configs and its
 * reports into tables or JSON. Progress goes to stderr, so stdout holds only the result.
 */
@Command(name = "bench", description = "Measure write throughput, latency, failover time, and a "
    + "leader watching a fleet of simulated agents.",
    subcommands = {BenchCommand.Submit.class, BenchCommand.Failover.class,
        BenchCompareCommand.class, BenchAgentsCommand.class})
final class BenchCommand {

  @Command(name = "submit",
      description = {"Write load: N clients, each with its own connection, create tasks "
          + "(stored, never started) with a payload label, or with --target etcd put the "
          + "payload under unique keys; a warm-up, then a measured phase.",
          "Closed loop by default; --rate R makes it open loop (latency from the intended "
          + "send time, so a stalled cluster shows in the percentiles).",
          "--start submits runnable tasks instead ('true', 1 millicore, 1 MiB, never "
          + "restarted), waits until each is placed, and reports committed placements per "
          + "second from the replicated event times; --writes N stops after N."})
  static final class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Option(names = "--clients", required = true, paramLabel = "N",
        converter = Units.NonNegativeInt.class, description = "Concurrent clients.")
    int clients;

    @Option(names = "--duration", required = true, paramLabel = "TIME",
        converter = Time.class, description = "Measured phase: 30s, 2m, 500ms.")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "10s",
        converter = Time.class, description = "Unrecorded warm-up first (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "256",
        converter = Units.NonNegativeInt.class,
        description = "Bytes of random alphanumerics per write (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--rate", paramLabel = "OPS",
        description = "Open loop at this many writes per second in total (default: closed loop).")
    Double rate;

    @Option(names = "--drain", paramLabel = "TIME", defaultValue = "10s", converter = Time.class,
        description = "How long writes in flight at the end may take (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = "--writes", paramLabel = "N", converter = Units.NonNegativeInt.class,
        description = "Stop after N writes in the measured phase (closed loop only); the phase "
            + "ends when they are answered, --duration bounds it (default: no bound).")
    Integer writes;

    @Option(names = "--start",
        description = "Submit the tasks (scheduled and run by an agent: 'true', 1 millicore, "
            + "1 MiB, never restarted) instead of only creating them; then wait until each is "
            + "placed and report placements per second (--target oag only).")
    boolean start;

    @Option(names = "--place-timeout", paramLabel = "TIME", defaultValue = "60s",
        converter = Time.class,
        description = "With --start: how long to wait after the load for every task to be "
            + "placed (default: ${DEFAULT-VALUE}).")
    Duration placeTimeout;

    @Override
    public Integer call() {
      LoadConfig config = config();
      PrintWriter err = spec.commandLine().getErr();
      try (BenchTarget t = target.open(client,
              start ? OagTarget.Write.SUBMIT : OagTarget.Write.CREATE);
          PlacementWatch watch = start ? PlacementWatch.open(client.config().build()) : null) {
        err.printf("oag bench: %s, %d clients, %s, warm-up %s, measuring %s%s%s%n",
            target.kind.label(), clients,
            config.openLoop() ? "open loop at " + num(config.rate()) + " writes/s" : "closed loop",
            text(warmup), text(duration), writes == null ? "" : " or " + writes + " writes",
            start ? ", tasks submitted to run" : "");
        err.flush();
        SubmitReport r = new SubmitLoad(t, config).run();
        PlacementReport placement = null;
        if (watch != null) {
          err.printf("oag bench: waiting (%s at most) for the tasks to be placed%n",
              text(placeTimeout));
          err.flush();
          placement = watch.await(config.namePrefix() + "-", placeTimeout);
        }
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          Map<String, Object> fields = withTarget(r.fields(), target.kind);
          if (placement != null) {
            fields.putAll(placement.fields());
          }
          out.json(fields);
        } else {
          submitTable(out, r, target.kind);
          if (placement != null) {
            placementRows(out, placement);
          }
        }
        if (placement != null && !placement.allPlaced()) {
          err.printf("oag: %d of %d tasks were not placed within %s%n",
              placement.tasks() - placement.placed(), placement.tasks(), text(placeTimeout));
          err.flush();
          return Errors.FAILURE;
        }
        return Errors.OK;
      }
    }

    private LoadConfig config() {
      if (rate != null && !(rate > 0 && rate < 1e9)) {
        throw new ParameterException(spec.commandLine(), "--rate must be above 0: " + rate);
      }
      if (writes != null && writes < 1) {
        throw new ParameterException(spec.commandLine(), "--writes must be at least 1: " + writes);
      }
      try {
        return LoadConfig.builder(clients, duration).warmup(warmup).payloadBytes(payload)
            .rate(rate == null ? 0 : rate).drainTimeout(drain)
            .maxWrites(writes == null ? 0 : writes).build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  @Command(name = "failover",
      description = {"Leader kill -9 to the next acknowledged write, as a running client sees "
          + "it, against a cluster started by deploy/local-cluster.sh start --data DIR (or, "
          + "with --target etcd, bench/etcd-cluster.sh start --data DIR).",
          "Each round waits for a settled cluster, verifies the leader's pid from DIR/<id>.pid "
          + "(it must run 'coordinator --id <id>', or 'etcd --name <id>'), kills it, measures, "
          + "and restarts it with the script."})
  static final class Failover implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin TargetOptions target;
    @Mixin OutputOptions output;

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "The --data of deploy/local-cluster.sh, or of bench/etcd-cluster.sh with "
            + "--target etcd (pid files and member data).")
    Path data;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "10",
        converter = Units.NonNegativeInt.class, description = "Leader kills (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "4",
        converter = Units.NonNegativeInt.class,
        description = "Writer threads sharing one connection (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--script", paramLabel = "PATH",
        description = "deploy/local-cluster.sh, or bench/etcd-cluster.sh with --target etcd "
            + "(default: found above the working directory or the installation).")
    Path script;

    @Override
    public Integer call() {
      FailoverConfig config;
      try {
        config = FailoverConfig.builder().rounds(rounds).writers(writers).build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Path found = script != null ? script
          : findScript(spec, target.kind.script, "pass --script PATH");
      PrintWriter err = spec.commandLine().getErr();
      // Short backoff: the writers should find the new leader as soon as it exists.
      try (BenchTarget t = target.open(client, Duration.ofMillis(20), Duration.ofMillis(200))) {
        int members = t.health().members().size();
        LocalClusterControl control = new LocalClusterControl(target.kind.script, data, found,
            members, Duration.ofSeconds(120));
        FailoverReport r = new FailoverProbe(t, control, config, line -> {
          err.println("oag bench: " + line);
          err.flush();
        }).run();
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(withTarget(r.fields(), target.kind));
        } else {
          failoverTable(out, r);
        }
        if (r.error() != null) {
          err.println("oag: " + r.error());
          err.flush();
          return Errors.FAILURE;
        }
        return Errors.OK;
      }
    }

  }

  /** The report's fields with {@code target} (oag or etcd) added at the end. */
  static Map<String, Object> withTarget(Map<String, Object> fields, TargetOptions.Kind kind) {
    Map<String, Object> f = new LinkedHashMap<>(fields);
    f.put("target", kind.label());
    return f;
  }

  /**
   * {@code kind}'s script above the working directory, else above the installation; a usage
   * error naming {@code remedy} (what the user can do instead) when neither has it.
   */
  static Path findScript(CommandSpec spec, ClusterScript kind, String remedy) {
    Path s = kind.find(Path.of(""));
    if (s == null) {
      try {
        s = kind.find(Path.of(BenchCommand.class.getProtectionDomain()
            .getCodeSource().getLocation().toURI()));
      } catch (Exception e) {
        s = null; // no code source: only the working directory counts
      }
    }
    if (s == null) {
      throw new ParameterException(spec.commandLine(), "cannot find "
          + kind.path() + " above " + Path.of("").toAbsolutePath() + "; " + remedy);
    }
    return s;
  }

  static void submitTable(Output out, SubmitReport r, TargetOptions.Kind kind) {
    LoadConfig c = r.config();
    SubmitReport.Phase w = r.warmup();
    SubmitReport.Phase m = r.measured();
    var l = r.latency();
    row(out, "target", kind.label());
    row(out, "mode", (c.openLoop() ? "open loop at " + num(c.rate()) + " writes/s" : "closed loop")
        + ", " + c.clients() + (c.clients() == 1 ? " client, " : " clients, ")
        + c.payloadBytes() + "-byte payload");
    row(out, "warm-up", num(w.seconds()) + " s: " + w.ops() + " ops, " + num(w.throughput())
        + " ops/s, " + w.errors() + " errors");
    row(out, "measured", num(m.seconds()) + " s: " + m.ops() + " ops, " + num(m.throughput())
        + " ops/s, " + m.errors() + " errors");
    if (!m.errorsByType().isEmpty()) {
      StringBuilder b = new StringBuilder();
      new java.util.TreeMap<>(m.errorsByType()).forEach((k, v) ->
          b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      row(out, "errors", b.toString());
    }
    row(out, "latency ms", "p50 " + num(l.p50Ms()) + "  p90 " + num(l.p90Ms()) + "  p99 "
        + num(l.p99Ms()) + "  p99.9 " + num(l.p999Ms()) + "  max " + num(l.maxMs()));
    if (c.openLoop()) {
      row(out, "behind ms", "p99 " + num(r.behind().p99Ms()) + "  max " + num(r.behind().maxMs())
          + "  (" + r.unsent() + " writes never sent)");
    }
    if (r.abandoned() > 0) {
      row(out, "abandoned", r.abandoned() + " clients still waiting after the drain timeout");
    }
    var ld = r.leadership();
    row(out, "leader", leader(ld.leaderBefore(), ld.termBefore()) + " -> "
        + leader(ld.leaderAfter(), ld.termAfter()) + ", " + ld.changes() + " change(s) seen");
    if (kind == TargetOptions.Kind.OAG) {
      row(out, "tasks", "named " + c.namePrefix() + "-*");
    } else {
      row(out, "keys", c.namePrefix() + "-*");
    }
  }

  static void placementRows(Output out, PlacementReport p) {
    row(out, "placed", p.placed() + " of " + p.tasks() + " tasks; " + num(p.placementsPerSecond())
        + " placements/s (first submitted to last scheduled: " + num(p.placementSeconds())
        + " s, replicated time), in " + p.placementEntries() + " log entries");
    row(out, "placing", num(p.drainPerSecond()) + " placements/s from the first scheduled to the last ("
        + num(p.drainSeconds()) + " s; the placer's own rate where every task waited before the first)");
    row(out, "submitted", p.submitted() + " tasks at " + num(p.submittedPerSecond())
        + " tasks/s (first to last submitted: " + num(p.submitSeconds()) + " s, replicated time)");
  }

  static void failoverTable(Output out, FailoverReport r) {
    out.line(String.format(Locale.ROOT, "%-7s%-8s%-10s%-12s%s", "ROUND", "KILLED", "PID",
        "NEW LEADER", "GAP MS"));
    for (FailoverReport.Round x : r.rounds()) {
      out.line(String.format(Locale.ROOT, "%-7d%-8s%-10d%-12s%s", x.round(), x.killed(),
          x.pid(), x.newLeader() == null ? "-" : x.newLeader(),
          x.gapMs() == null ? "-" : num(x.gapMs())));
    }
    out.line("median " + (r.medianMs() == null ? "-" : num(r.medianMs())) + " ms, max "
        + (r.maxMs() == null ? "-" : num(r.maxMs())) + " ms over " + r.rounds().size()
        + " round(s); " + r.writes() + " writes acknowledged, "
        + r.writeErrors().values().stream().mapToLong(Long::longValue).sum() + " failed"
        + (r.writeErrors().isEmpty() ? "" : " " + r.writeErrors()));
  }

  private static void row(Output out, String key, String value) {
    out.line(String.format(Locale.ROOT, "%-12s%s", key, value));
  }

  private static String leader(String id, long term) {
    return id == null ? "unknown" : id + " (term " + term + ")";
  }

  /** A number without trailing zeros: 12, 12.5, 0.125. */
  static String num(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1.5s}; a bare number is seconds. */
  static final class Time implements ITypeConverter<Duration> {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      return parse(value);
    }

    static Duration parse(String value) {
      Matcher m = TIME.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not a time (examples: 30s, 500ms, 2m)");
      }
      BigDecimal n = new BigDecimal(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      long millisPerUnit = switch (unit) {
        case "ms" -> 1;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 1000;
      };
      BigDecimal millis = n.multiply(BigDecimal.valueOf(millisPerUnit));
      if (millis.compareTo(BigDecimal.valueOf(Duration.ofDays(7).toMillis())) > 0) {
        throw new TypeConversionException("'" + value + "' is longer than a week");
      }
      return Duration.ofNanos(millis.multiply(BigDecimal.valueOf(1_000_000)).longValue());
    }
  }
}
