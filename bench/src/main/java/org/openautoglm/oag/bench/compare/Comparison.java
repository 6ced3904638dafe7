package org.openautoglm.oag.bench.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterHealth;
import org.openautoglm.oag.bench.FailoverConfig;
import org.openautoglm.oag.bench.FailoverProbe;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.LoadConfig;
import org.openautoglm.oag.bench.MemberControl;
import org.openautoglm.oag.bench.SubmitLoad;
import org.openautoglm.oag.bench.SubmitReport;

/**
 * Two systems measured side by side by the same timing code ({@link SubmitLoad}, {@link
 * FailoverProbe}) on the same machine, in alternation, so that drift of the machine (other
 * users, thermal state) falls on both alike.
 *
 * <p>Order: an initial warm-up of each system at the highest level (reported step by step);
 * then, per level, {@link ComparisonConfig#rounds()} rounds of "A, then B"; a round during
 * which other processes used more than {@link ComparisonConfig#maxForeignCores()} of CPU is
 * run again, at most {@link ComparisonConfig#maxReruns()} times per level; then the leader
 * kills of each system, last, because a killed member comes back as a cold process.
 *
 * <p>Bounded: every run is bounded by its config, so the whole comparison is bounded by
 * (levels × (rounds + reruns) × 2 runs) plus the warm-ups and the failover probes' own
 * limits. One run per instance, on the calling thread.
 */
public final class Comparison {
  /** Writes in flight at the end of a run get this long before their workers are abandoned. */
  private static final Duration DRAIN = Duration.ofSeconds(10);

  /**
   * One system under test.
   *
   * @param name a short label ("oag", "etcd")
   * @param target how the timing code writes to it
   * @param members its processes, for the leader kills and for telling its CPU use apart
   */
  public record Subject(String name, BenchTarget target, MemberControl members) {
    public Subject {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(members, "members");
    }
  }

  private final Subject a;
  private final Subject b;
  private final ComparisonConfig config;
  private final Consumer<String> progress;

  /** {@code a} is the system reported first and the numerator of every ratio. */
  public Comparison(Subject a, Subject b, ComparisonConfig config, Consumer<String> progress) {
    this.a = a;
    this.b = b;
    this.config = config;
    this.progress = progress;
  }

  public ComparisonReport run() {
    Instant started = Instant.now();
    Map<String, String> commandLines = new LinkedHashMap<>();
    for (Subject s : List.of(a, b)) {
      commandLines.put(s.name(), commandLine(s));
    }
    Map<String, List<Double>> warmups = new LinkedHashMap<>();
    for (Subject s : List.of(a, b)) {
      warmups.put(s.name(), warmUp(s));
    }
    List<ComparisonReport.Level> levels = new ArrayList<>();
    for (int clients : config.levels()) {
      levels.add(level(clients));
    }
    Map<String, FailoverReport> failovers = new LinkedHashMap<>();
    if (config.failoverRounds() > 0) {
      for (Subject s : List.of(a, b)) {
        progress.accept(s.name() + ": " + config.failoverRounds() + " leader kills");
        FailoverConfig fc = FailoverConfig.builder().rounds(config.failoverRounds())
            .namePrefix(LoadConfig.newNamePrefix("failover")).build();
        failovers.put(s.name(), new FailoverProbe(s.target(), s.members(), fc,
            line -> progress.accept(s.name() + ": " + line)).run());
      }
    }
    return new ComparisonReport(a.name(), b.name(), config, started, Instant.now(),
        commandLines, warmups, levels, failovers);
  }

  /**
   * How the system's leader runs, as its command line (the JVM's class path left out):
   * the settings a reader needs, taken from the process rather than typed in.
   */
  private static String commandLine(Subject s) {
    try {
      String leader = s.target().health().leader();
      ProcessHandle p = s.members().verifiedProcess(leader);
      String cmd = p.info().command().orElse("?");
      List<String> args = new ArrayList<>(p.info().arguments().map(List::of).orElse(List.of()));
      int cp = Math.max(args.indexOf("-cp"), args.indexOf("-classpath"));
      if (cp >= 0 && cp + 1 < args.size()) {
        args.set(cp + 1, "...");
      }
      return cmd + " " + String.join(" ", args);
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Load at the highest level in steps; returns each step's throughput. */
  private List<Double> warmUp(Subject s) {
    List<Double> steps = new ArrayList<>();
    long stepNanos = config.warmupStep().toNanos();
    long count = (config.initialWarmup().toNanos() + stepNanos - 1) / stepNanos;
    for (long i = 0; i < count; i++) {
      SubmitReport r = submit(s, config.topLevel(), Duration.ZERO, config.warmupStep());
      steps.add(r.measured().throughput());
      progress.accept(String.format(Locale.ROOT, "%s: warm-up %d/%d at %d clients: %.0f writes/s",
          s.name(), i + 1, count, config.topLevel(), r.measured().throughput()));
    }
    return steps;
  }

  private ComparisonReport.Level level(int clients) {
    List<ComparisonReport.Round> rounds = new ArrayList<>();
    int counted = 0;
    int reruns = 0;
    while (counted < config.rounds()) {
      ComparisonReport.Run ra = run(a, clients);
      ComparisonReport.Run rb = run(b, clients);
      boolean busy = ra.foreignCores() > config.maxForeignCores()
          || rb.foreignCores() > config.maxForeignCores();
      boolean rerun = busy && reruns < config.maxReruns();
      rounds.add(new ComparisonReport.Round(rounds.size() + 1, ra, rb, !rerun));
      if (rerun) {
        reruns++;
        progress.accept(String.format(Locale.ROOT, "%d clients: foreign CPU load %.2f/%.2f "
            + "cores above %.2f; running the round again", clients, ra.foreignCores(),
            rb.foreignCores(), config.maxForeignCores()));
      } else {
        counted++;
      }
    }
    return new ComparisonReport.Level(clients, rounds);
  }

  private ComparisonReport.Run run(Subject s, int clients) {
    Set<Long> pids = pids();
    CpuMeter.Window cpu = CpuMeter.start(pids);
    SubmitReport r = submit(s, clients, config.runWarmup(), config.duration());
    CpuMeter.Usage usage = cpu == null ? null : cpu.stop();
    ComparisonReport.Run run = new ComparisonReport.Run(r, usage);
    progress.accept(String.format(Locale.ROOT,
        "%s: %d clients: %.0f writes/s, p50 %.2f ms, p99 %.2f ms, %d errors, foreign CPU %s",
        s.name(), clients, r.measured().throughput(), r.latency().p50Ms(), r.latency().p99Ms(),
        r.measured().errors(), usage == null ? "unknown"
            : String.format(Locale.ROOT, "%.2f cores", usage.foreignCores())));
    return run;
  }

  private SubmitReport submit(Subject s, int clients, Duration warmup, Duration duration) {
    LoadConfig lc = LoadConfig.builder(clients, duration).warmup(warmup)
        .payloadBytes(config.payloadBytes()).drainTimeout(DRAIN)
        .namePrefix(LoadConfig.newNamePrefix("cmp")).build();
    return new SubmitLoad(s.target(), lc).run();
  }

  /** This process and every member process of both systems that can be verified now. */
  private Set<Long> pids() {
    Set<Long> pids = new LinkedHashSet<>();
    pids.add(ProcessHandle.current().pid());
    for (Subject s : List.of(a, b)) {
      ClusterHealth h;
      try {
        h = s.target().health();
      } catch (RuntimeException e) {
        continue; // its processes then count as foreign: overstated, never hidden
      }
      for (ClusterHealth.Member m : h.members()) {
        try {
          pids.add(s.members().verifiedProcess(m.id()).pid());
        } catch (RuntimeException e) {
          // not running or not verifiable: nothing to count
        }
      }
    }
    return pids;
  }
}
