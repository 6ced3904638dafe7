package org.openautoglm.oag.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.SubmitReport;

/**
 * A {@link ComparisonReport} as text: the one table for a terminal, and the whole record
 * (table, command, machine, settings, every run) as the Markdown of {@code
 * bench/RESULTS.md}. Pure formatting; the only input besides the report is what the caller
 * knows and the report cannot (the command that ran it, free-form notes such as versions).
 */
public final class ResultsText {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** A section another script owns in the same file: its markers, and all between them. */
  private static final Pattern OWNED_SECTION =
      Pattern.compile("<!-- ([^>\\n]+): begin -->\\n.*?<!-- \\1: end -->\\n?", Pattern.DOTALL);

  private ResultsText() {}

  /** The table for a terminal. */
  public static String table(ComparisonReport r) {
    StringBuilder b = new StringBuilder();
    ComparisonConfig c = r.config();
    b.append(String.format(Locale.ROOT, "%s vs %s: median of %d rounds of %d s per level "
        + "(%d s warm-up each), %d-byte values, closed loop%n", r.a(), r.b(), c.rounds(),
        c.duration().toSeconds(), c.runWarmup().toSeconds(), c.payloadBytes()));
    String fmt = "%-8s %10s %8s %8s %10s %8s %8s %9s %12s%n";
    b.append(String.format(Locale.ROOT, fmt, "CLIENTS", up(r.a()) + " W/S", "P50 MS", "P99 MS",
        up(r.b()) + " W/S", "P50 MS", "P99 MS", "RATIO", "FOREIGN CPU"));
    for (ComparisonReport.Level l : r.levels()) {
      b.append(String.format(Locale.ROOT, fmt, l.clients(), num(l.throughput(true), 0),
          num(l.p50Ms(true), 2), num(l.p99Ms(true), 2), num(l.throughput(false), 0),
          num(l.p50Ms(false), 2), num(l.p99Ms(false), 2), num(l.ratio(), 2) + "x",
          num(l.maxForeignCores(), 2) + (l.reruns() > 0 ? " (" + l.reruns() + " rerun)" : "")));
    }
    for (String name : List.of(r.a(), r.b())) {
      FailoverReport f = r.failovers().get(name);
      if (f != null) {
        b.append(String.format(Locale.ROOT, "failover %-5s leader kill -9 -> next acknowledged "
            + "write: median %s s, max %s s over %d round(s)%s%n", name, seconds(f.medianMs()),
            seconds(f.maxMs()), f.rounds().size(), f.error() == null ? "" : "; " + f.error()));
      }
    }
    b.append(String.format(Locale.ROOT, "leader changes during load: %s %d, %s %d%n", r.a(),
        r.leaderChanges(true), r.b(), r.leaderChanges(false)));
    for (String name : List.of(r.a(), r.b())) {
      b.append(String.format(Locale.ROOT, "warm-up %-5s writes/s per %d s at %d clients: %s%n",
          name, c.warmupStep().toSeconds(), c.topLevel(), warmup(r, name)));
    }
    for (ComparisonReport.Target t : r.targets()) {
      b.append(String.format(Locale.ROOT, "%-8s %s: %s%n", t.met() ? "met" : "MISSED", t.what(),
          t.measured()));
    }
    return b.toString();
  }

  /** The Markdown of {@code bench/RESULTS.md}. */
  public static String markdown(ComparisonReport r, String command, List<String> notes) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results: ").append(r.a()).append(" vs ").append(r.b()).append("\n\n");
    b.append("Written by `bench/compare-etcd.sh` at the end of its run; not edited by hand. ")
        .append("Run ").append(WHEN.format(r.started())).append(", ")
        .append(r.elapsed().toMinutes()).append(" min.\n\n");
    b.append("```\n").append(table(r)).append("```\n\n");
    b.append("## Command\n\n```\n").append(command).append("\n```\n\n");
    b.append("## Machine\n\n");
    MachineFacts.read().forEach(f -> b.append("- ").append(f).append('\n'));
    b.append("\n## Settings\n\n");
    ComparisonConfig c = r.config();
    b.append(String.format(Locale.ROOT, "- Load: `oag bench` generator, one connection per "
        + "client, closed loop, %d-byte values under unique keys; levels %s clients; %d "
        + "rounds per level, %s then %s in each; %d s measured after %d s warm-up per run; "
        + "initial warm-up %d s per system at %d clients; a round with more than %.2f "
        + "cores of foreign CPU is run again (at most %d times per level).%n",
        c.payloadBytes(), c.levels(), c.rounds(), r.a(), r.b(), c.duration().toSeconds(),
        c.runWarmup().toSeconds(), c.initialWarmup().toSeconds(), c.topLevel(),
        c.maxForeignCores(), c.maxReruns()));
    b.append(String.format(Locale.ROOT, "- Failover: %d leader kills (SIGKILL) per system with "
        + "4 writers running; gap = kill to the first acknowledgement of a write sent after "
        + "it.%n", c.failoverRounds()));
    for (String name : List.of(r.a(), r.b())) {
      b.append("- ").append(name).append(" leader's command line: `")
          .append(r.commandLines().getOrDefault(name, "unknown")).append("`\n");
    }
    notes.forEach(n -> b.append("- ").append(n).append('\n'));
    b.append("\n## Targets\n\n");
    for (ComparisonReport.Target t : r.targets()) {
      b.append("- ").append(t.met() ? "met" : "**missed**").append(": ").append(t.what())
          .append(" (measured ").append(t.measured()).append(")\n");
    }
    b.append("\n## Every run\n\n");
    b.append("| clients | round | system | writes/s | p50 ms | p99 ms | p99.9 ms | errors "
        + "| leader changes | machine CPU | own CPU | foreign CPU | counted |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ComparisonReport.Level l : r.levels()) {
      for (ComparisonReport.Round round : l.rounds()) {
        row(b, l.clients(), round.round(), r.a(), round.a(), round.counted());
        row(b, l.clients(), round.round(), r.b(), round.b(), round.counted());
      }
    }
    b.append("\n## Leader kills\n\n| system | round | killed | new leader | gap s |\n")
        .append("|---|---|---|---|---|\n");
    for (String name : List.of(r.a(), r.b())) {
      FailoverReport f = r.failovers().get(name);
      if (f != null) {
        for (FailoverReport.Round x : f.rounds()) {
          b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", name, x.round(),
              x.killed(), x.newLeader() == null ? "-" : x.newLeader(), seconds(x.gapMs())));
        }
      }
    }
    return b.toString();
  }

  /**
   * Writes {@link #markdown} to {@code file} through a temporary file, so a reader never sees
   * half. The sections other scripts own in the same file (each between {@code <!-- NAME:
   * begin -->} and {@code <!-- NAME: end -->}, e.g. {@code bench/scale.sh}'s) are kept, after
   * the comparison, in the order they had.
   */
  public static void write(Path file, ComparisonReport r, String command, List<String> notes)
      throws IOException {
    String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, withOwnedSections(markdown(r, command, notes), old), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code markdown}, then every marked section of {@code old} in its order, each after a blank line. */
  static String withOwnedSections(String markdown, String old) {
    StringBuilder b = new StringBuilder(markdown.stripTrailing()).append('\n');
    Matcher m = OWNED_SECTION.matcher(old);
    while (m.find()) {
      b.append('\n').append(m.group().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  private static void row(StringBuilder b, int clients, int round, String name,
      ComparisonReport.Run run, boolean counted) {
    SubmitReport s = run.report();
    CpuMeter.Usage u = run.cpu();
    b.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %d | %d | %s | %s | %s | %s |%n",
        clients, round, name, num(s.measured().throughput(), 0), num(s.latency().p50Ms(), 2),
        num(s.latency().p99Ms(), 2), num(s.latency().p999Ms(), 2), s.measured().errors(),
        s.leadership().changes(), u == null ? "-" : num(u.machineCores(), 2),
        u == null ? "-" : num(u.ownCores(), 2), u == null ? "-" : num(u.foreignCores(), 2),
        counted ? "yes" : "no, run again"));
  }

  private static String warmup(ComparisonReport r, String name) {
    List<Double> steps = r.warmups().getOrDefault(name, List.of());
    return steps.isEmpty() ? "none" : steps.stream().map(v -> num(v, 0))
        .collect(Collectors.joining(" "));
  }

  private static String up(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  private static String seconds(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms / 1000);
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Facts about this machine for the record; each line is skipped when it cannot be read. */
  static final class MachineFacts {
    private MachineFacts() {}

    static List<String> read() {
      List<String> f = new ArrayList<>();
      String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
      f.add("CPU: " + (model == null ? "unknown model" : model) + ", "
          + Runtime.getRuntime().availableProcessors() + " cores available to the JVM");
      String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
      if (mem != null) {
        f.add("Memory: " + mem);
      }
      f.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
      f.add("Java (load generator): " + System.getProperty("java.vm.name") + " "
          + System.getProperty("java.version"));
      f.add("All processes of both systems and the load generator on this one machine, on "
          + "loopback; data dirs on the same disk");
      return f;
    }

    private static String firstValue(Path file, String key) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          if (line.startsWith(key)) {
            int colon = line.indexOf(':');
            return colon < 0 ? null : line.substring(colon + 1).trim();
          }
        }
      } catch (IOException | RuntimeException e) {
        return null;
      }
      return null;
    }
  }
}
