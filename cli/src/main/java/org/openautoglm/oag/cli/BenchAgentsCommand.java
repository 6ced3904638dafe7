package org.openautoglm.oag.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openautoglm.oag.bench.Latency;
import org.openautoglm.oag.bench.fleet.AgentSimulation;
import org.openautoglm.oag.bench.fleet.AgentsConfig;
import org.openautoglm.oag.bench.fleet.AgentsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oag bench agents}: simulated agents with real sessions against a running cluster
 * ({@link AgentSimulation}, in the bench module). This class only turns options into an {@link
 * AgentsConfig} and the {@link AgentsReport} into a table or JSON; progress goes to stderr.
 */
@Command(name = "agents",
    description = {"Simulated agents with real gRPC sessions against a running cluster, to measure "
        + "one leader watching a whole fleet: each registers as node <prefix>-<k> (labels sim=true, "
        + "sim.run=<prefix>), keeps one session stream and heartbeats every --interval, spread "
        + "evenly; no process is ever started.",
        "Reports how late the simulator sent (its own GC or CPU starvation), heartbeat-to-ack "
        + "latency, reconnects, and the leader's DOWN verdicts on its nodes: false when the "
        + "agent never went the TTL without sending.",
        "At the end the tasks are stopped and the nodes retired in waves the storm guard allows, "
        + "until each is DOWN (--keep: all left at once). Use a throw-away cluster: the nodes "
        + "stay in its node table."})
final class BenchAgentsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;

  @Option(names = "--count", required = true, paramLabel = "N", converter = Units.PositiveInt.class,
      description = "Simulated agents (at most " + AgentsConfig.MAX_AGENTS + ").")
  int count;

  @Option(names = "--interval", paramLabel = "TIME", converter = BenchCommand.Time.class,
      description = "Heartbeat interval of each agent (default: what the leader asks for).")
  Duration interval;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "60s", converter = BenchCommand.Time.class,
      description = "How long the agents run, ramp-up included (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--tasks-per-agent", paramLabel = "N", defaultValue = "0", converter = Units.NonNegativeInt.class,
      description = "Submit N tasks per agent, constrained to this run's nodes and sized 1/N of one, "
          + "which the agents report RUNNING with made-up metrics (default: ${DEFAULT-VALUE}).")
  int tasksPerAgent;

  @Option(names = "--cpu", paramLabel = "CORES", defaultValue = "8", converter = Units.Cpu.class,
      description = "CPU each node offers (default: ${DEFAULT-VALUE}).")
  double cpu;

  @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "32Gi", converter = Units.Memory.class,
      description = "Memory each node offers (default: ${DEFAULT-VALUE}).")
  long memoryMiB;

  @Option(names = "--node-prefix", paramLabel = "PREFIX",
      description = "Node ids are PREFIX-0, PREFIX-1, ... (default: sim-<unique id>; reuse one to "
          + "register the same nodes again).")
  String nodePrefix;

  @Option(names = "--connect", paramLabel = "WHOM", defaultValue = "leader",
      description = "leader: each agent dials the leader (a follower, which relays, while none is "
          + "known); any: agents spread over the coordinators, as real agents end up "
          + "(default: ${DEFAULT-VALUE}).")
  String connect;

  @Option(names = "--channels", paramLabel = "N", defaultValue = "0", converter = Units.NonNegativeInt.class,
      description = "gRPC connections per coordinator the agents share (default: one per 1000 agents).")
  int channels;

  @Option(names = "--keep",
      description = "Leave the nodes to go silent all at once at the end, and the tasks as they are, "
          + "instead of stopping the tasks and retiring the nodes until each is DOWN.")
  boolean keep;

  @Option(names = "--sender-threads", paramLabel = "N", defaultValue = "2", converter = Units.PositiveInt.class,
      description = "Threads sending the heartbeats (default: ${DEFAULT-VALUE}).")
  int senderThreads;

  @Option(names = "--register-concurrency", paramLabel = "N", defaultValue = "64",
      converter = Units.PositiveInt.class,
      description = "Registers in flight at once, at most (default: ${DEFAULT-VALUE}).")
  int registerConcurrency;

  @Option(names = "--retire-timeout", paramLabel = "TIME", defaultValue = "3m", converter = BenchCommand.Time.class,
      description = "How long retiring the nodes may take (default: ${DEFAULT-VALUE}).")
  Duration retireTimeout;

  @Override
  public Integer call() {
    AgentsConfig config = config();
    PrintWriter err = spec.commandLine().getErr();
    AgentsReport r = new AgentSimulation(client.config().build(), config, line -> {
      err.println("oag bench: " + line);
      err.flush();
    }).run();
    Output out = new Output(spec.commandLine().getOut());
    if (output.json()) {
      out.json(r.fields());
    } else {
      table(out, r);
    }
    String problem = problem(r);
    if (problem != null) {
      err.println("oag: " + problem);
      err.flush();
      return Errors.FAILURE;
    }
    return Errors.OK;
  }

  private AgentsConfig config() {
    AgentsConfig.Connect whom = switch (connect.strip().toLowerCase(Locale.ROOT)) {
      case "leader" -> AgentsConfig.Connect.LEADER;
      case "any" -> AgentsConfig.Connect.ANY;
      default -> throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--connect': '" + connect + "' is not leader or any");
    };
    long millicores = Math.round(cpu * 1000);
    if (millicores < 1 || millicores > Integer.MAX_VALUE) {
      throw new ParameterException(spec.commandLine(), "--cpu must be at least 1m and at most "
          + Integer.MAX_VALUE / 1000 + " cores");
    }
    try {
      AgentsConfig.Builder b = AgentsConfig.builder(count).interval(interval).duration(duration)
          .tasksPerAgent(tasksPerAgent).cpuMillis((int) millicores).memoryMib(memoryMiB)
          .channelsPerTarget(channels).connect(whom).keep(keep).senderThreads(senderThreads)
          .registerConcurrency(registerConcurrency).retireTimeout(retireTimeout);
      if (nodePrefix != null) {
        b.nodePrefix(nodePrefix);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Why the run is a failure (exit 1), or null: false DOWNs, agents that never had a session. */
  static String problem(AgentsReport r) {
    if (r.down().falseDowns() > 0) {
      return r.down().falseDowns() + " false DOWN verdict(s): nodes declared DOWN while their agent kept "
          + "sending within the TTL";
    }
    int never = r.config().agents() - r.sessions().established();
    if (never > 0) {
      return never + " of " + r.config().agents() + " agents never had a session";
    }
    return null;
  }

  static void table(Output out, AgentsReport r) {
    AgentsConfig c = r.config();
    AgentsReport.Sessions s = r.sessions();
    AgentsReport.Heartbeats h = r.heartbeats();
    AgentsReport.Down d = r.down();
    row(out, "agents", c.agents() + " as " + c.nodePrefix() + "-0.." + (c.agents() - 1) + ", a heartbeat every "
        + r.intervalMs() + " ms (the leader asks for " + r.leaderIntervalMs() + "), to "
        + (c.connect() == AgentsConfig.Connect.LEADER ? "the leader" : "any coordinator") + " over "
        + s.channels() + " channel(s)");
    row(out, "measured", BenchCommand.num(r.durationSeconds()) + " s; every agent had a session "
        + (s.rampUpSeconds() == null ? "never" : "after " + BenchCommand.num(round1(s.rampUpSeconds())) + " s"));
    row(out, "sessions", s.registered() + " registered, " + s.up() + " up at the end (" + s.relayed()
        + " through a follower), " + (s.nodesUp() < 0 ? "?" : String.valueOf(s.nodesUp()))
        + " UP in the node list; " + s.reconnects() + " reconnects, " + s.staleDropped() + " stale messages");
    if (!s.failures().isEmpty()) {
      StringBuilder b = new StringBuilder();
      new java.util.TreeMap<>(s.failures()).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
          .append(k).append(' ').append(v));
      row(out, "failures", b.toString());
    }
    row(out, "heartbeats", h.sent() + " sent (" + BenchCommand.num(r.heartbeatsPerSecond()) + "/s), "
        + h.skipped() + " due without a session, " + h.missed() + " skipped by a stalled sender");
    row(out, "late ms", percentiles(h.late()));
    row(out, "ack ms", percentiles(h.ack()) + "  (" + r.unacked() + " unacked)");
    row(out, "send gaps", "longest " + BenchCommand.num(h.longestGapMs()) + " ms, p99 over agents "
        + BenchCommand.num(h.gapP99Ms()) + " ms; " + h.gapsOverTtl() + " agent(s) reached the TTL ("
        + r.ttlMs() + " ms)");
    row(out, "DOWN", d.total() + " verdict(s): " + d.falseDowns() + " false, " + d.explained()
        + " explained by the simulator (" + d.withoutSession() + " without a session)");
    if (c.tasksPerAgent() > 0) {
      AgentsReport.Tasks t = r.tasks();
      row(out, "tasks", t.submitted() + " submitted, " + t.running() + " RUNNING at the end, " + t.stopped()
          + " stopped, " + t.errors() + " failed calls");
    }
    AgentsReport.Leadership l = r.leadership();
    row(out, "leader", leader(l.leaderBefore(), l.termBefore()) + " -> " + leader(l.leaderAfter(), l.termAfter())
        + (l.stormGuardOn() ? "; the storm guard was on" : ""));
    AgentsReport.End e = r.end();
    row(out, "end", e.kept()
        ? "kept: every session closed at once, nodes left to the TTL (and the storm guard)"
        : "retired " + e.retired() + " in " + e.waves() + " wave(s), " + e.retiredDown() + " DOWN, "
            + BenchCommand.num(e.seconds()) + " s" + (e.incomplete() == null ? "" : "; " + e.incomplete()));
  }

  private static String percentiles(Latency l) {
    return "p50 " + BenchCommand.num(l.p50Ms()) + "  p99 " + BenchCommand.num(l.p99Ms()) + "  p99.9 "
        + BenchCommand.num(l.p999Ms()) + "  max " + BenchCommand.num(l.maxMs());
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String leader(String id, long term) {
    return id == null ? "unknown" : id + " (term " + term + ")";
  }

  private static void row(Output out, String key, String value) {
    out.line(String.format(Locale.ROOT, "%-12s%s", key, value));
  }
}
