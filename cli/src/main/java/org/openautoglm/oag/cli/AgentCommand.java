package org.openautoglm.oag.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openautoglm.oag.agent.Agent;
import org.openautoglm.oag.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oag agent}: the agent of this host, until SIGTERM or SIGINT. The shutdown hook calls
 * {@link Agent#close()}, which ends the session and leaves the processes running, or with
 * {@code --stop-tasks-on-exit} stops them first.
 */
@Command(name = "agent", description = "Run this host's agent: supervise processes for the leader.")
final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--coordinators", required = true, paramLabel = "HOST:PORT,...",
      description = "The coordinators' gRPC API addresses; the agent talks to whichever answers first.")
  String coordinators;

  @Option(names = "--node-id", required = true, paramLabel = "ID", description = "This node's id.")
  String nodeId;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Data directory (allocations and their output).")
  Path data;

  @Option(names = "--labels", paramLabel = "K=V,...", description = "Node labels, e.g. zone=a,gpu=h100.")
  String labels;

  @Option(names = "--heartbeat", paramLabel = "DURATION", converter = Units.Span.class,
      description = "Heartbeat interval unless the leader names one, e.g. 500ms, 1s (default: 500ms).")
  Duration heartbeat;

  @Option(names = "--cpu", converter = Units.Cpu.class, paramLabel = "CORES",
      description = "CPU this node offers the scheduler: 4, 0.5, 1500m (default: every core it may use).")
  Double cpu;

  @Option(names = "--memory", converter = Units.Memory.class, paramLabel = "SIZE",
      description = "Memory this node offers the scheduler: 8Gi, 4096 (MiB) (default: MemTotal).")
  Long memoryMiB;

  @Option(names = "--stop-tasks-on-exit",
      description = "Stop every allocation when the agent exits (default: leave them running).")
  boolean stopTasksOnExit;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config();
    Agent agent = Agent.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "oag-agent-shutdown"));
    var out = spec.commandLine().getOut();
    out.printf("oag agent %s: boot %s, coordinators %s, data %s%s%n", agent.nodeId(),
        agent.bootId(), String.join(",", config.coordinators()), config.dataDir(),
        config.stopTasksOnExit() ? ", stops tasks on exit" : "");
    out.flush();
    stopped.await();
    return Errors.OK;
  }

  /** The agent's config from the options; bad input is a usage error naming the option. */
  AgentConfig config() {
    List<String> addresses = Arrays.stream(coordinators.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (addresses.isEmpty()) {
      throw usage("--coordinators", "no address given");
    }
    for (String a : addresses) {
      if (!a.matches("(\\[[0-9A-Fa-f:.]+\\]|[^:\\s]+):[0-9]{1,5}")) {
        throw usage("--coordinators", "'" + a + "' is not HOST:PORT");
      }
    }
    try {
      AgentConfig.Builder b = AgentConfig.builder(nodeId, addresses, data)
          .labels(parseLabels())
          .stopTasksOnExit(stopTasksOnExit);
      if (heartbeat != null) {
        b.heartbeat(heartbeat);
      }
      if ((cpu != null && Math.round(cpu * 1000) < 1) || (cpu != null && cpu * 1000 > Integer.MAX_VALUE)) {
        throw usage("--cpu", "must be at least 1m and at most " + Integer.MAX_VALUE / 1000 + " cores");
      }
      if (memoryMiB != null && memoryMiB < 1) {
        throw usage("--memory", "must be at least 1 MiB");
      }
      b.offer(cpu == null ? 0 : Math.round(cpu * 1000), memoryMiB == null ? 0 : memoryMiB);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Map<String, String> parseLabels() {
    Map<String, String> map = new LinkedHashMap<>();
    if (labels == null || labels.isBlank()) {
      return map;
    }
    for (String pair : labels.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw usage("--labels", "'" + pair + "' is not KEY=VALUE");
      }
      map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return map;
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(spec.commandLine(),
        "Invalid value for option '" + option + "': " + message);
  }
}
