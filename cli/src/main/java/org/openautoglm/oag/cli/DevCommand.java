package org.openautoglm.oag.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openautoglm.oag.agent.Agent;
import org.openautoglm.oag.agent.AgentConfig;
import org.openautoglm.oag.coordinator.Coordinator;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import org.openautoglm.oag.coordinator.DataDirIdentity;
import org.openautoglm.oag.coordinator.PeerAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oag dev}: a whole cluster in this process on 127.0.0.1, by the port convention
 * (coordinator cK: API 7069+K, Raft 7079+K, HTTP 8079+K), data in DIR/cK, plus agents a1..aM
 * (data in DIR/aK) that run the tasks on this machine. Runs until Ctrl-C, whose shutdown hook
 * stops the agents' processes and closes every agent and coordinator; the same {@code --data}
 * again recovers everything stored.
 */
@Command(name = "dev", description = "Run a whole cluster (coordinators and agents) in this process.")
final class DevCommand implements Callable<Integer> {
  static final String HOST = "127.0.0.1";

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (default: ~/.oag/dev); cK keeps its state in DIR/cK.")
  Path data;

  @Option(names = "--coordinators", paramLabel = "N", defaultValue = "3",
      description = "How many coordinators, 1 to 9 (default: ${DEFAULT-VALUE}).")
  int coordinators;

  @Option(names = "--agents", paramLabel = "M", defaultValue = "1",
      description = "How many agents, 0 to 9 (default: ${DEFAULT-VALUE}); each runs tasks on this machine.")
  int agents;

  @Override
  public Integer call() throws Exception {
    if (coordinators < 1 || coordinators > 9) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--coordinators': must be 1 to 9, was " + coordinators);
    }
    if (agents < 0 || agents > 9) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--agents': must be 0 to 9, was " + agents);
    }
    Path dir = data != null ? data : CliContext.of(spec).home().resolve(".oag").resolve("dev");
    List<CoordinatorConfig> configs = configs(dir, coordinators);
    List<AutoCloseable> running = new ArrayList<>();   // closed last-in first-out: agents first
    try {
      for (CoordinatorConfig c : configs) {
        Files.createDirectories(c.dataDir());
        running.add(Coordinator.start(c));
      }
      for (AgentConfig a : agentConfigs(dir, agents, configs)) {
        running.add(Agent.start(a));
      }
    } catch (DataDirIdentity.Mismatch e) {
      closeAll(running);
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--data': " + e.getMessage());
    } catch (Exception | Error e) {
      closeAll(running);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("oag dev: stopping " + agents + " agents (and their tasks) and "
          + configs.size() + " coordinators");
      out.flush();
      closeAll(running);
      stopped.countDown();
    }, "oag-dev-shutdown"));
    banner(out, dir, configs, agents);
    stopped.await();
    return Errors.OK;
  }

  /** The configs of c1..cN by the port convention; pure, so it can be tested. */
  static List<CoordinatorConfig> configs(Path dir, int n) {
    List<PeerAddress> peers = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      peers.add(new PeerAddress("c" + k, HOST, 7079 + k, 7069 + k));
    }
    List<CoordinatorConfig> configs = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      configs.add(CoordinatorConfig.builder("c" + k, peers, dir.resolve("c" + k))
          .bindHost(HOST).apiPort(7069 + k).httpPort(8079 + k).build());
    }
    return configs;
  }

  /**
   * Agents a1..aM of the cluster {@code coordinators}, data in DIR/aK. They stop their tasks
   * when the dev cluster stops, so Ctrl-C leaves nothing running on the laptop.
   */
  static List<AgentConfig> agentConfigs(Path dir, int m, List<CoordinatorConfig> coordinators) {
    List<String> addresses = coordinators.stream().map(c -> c.self().apiAddress()).toList();
    List<AgentConfig> configs = new ArrayList<>();
    for (int k = 1; k <= m; k++) {
      configs.add(AgentConfig.builder("a" + k, addresses, dir.resolve("a" + k))
          .address(HOST)
          .stopTasksOnExit(true)
          .build());
    }
    return configs;
  }

  static String addresses(List<CoordinatorConfig> configs) {
    return String.join(",", configs.stream().map(c -> c.self().apiAddress()).toList());
  }

  private static void banner(PrintWriter out, Path dir, List<CoordinatorConfig> configs, int agents) {
    out.printf("oag dev: %d coordinators and %d agents on %s, data in %s%n", configs.size(), agents,
        HOST, dir);
    for (CoordinatorConfig c : configs) {
      out.printf("  %s  api %s  raft %s  metrics http://%s:%d/metrics%n", c.nodeId(),
          c.self().apiAddress(), c.self().raftAddress(), HOST, c.httpPort());
    }
    for (int k = 1; k <= agents; k++) {
      out.printf("  a%d  agent, allocations in %s%n", k, dir.resolve("a" + k));
    }
    out.println();
    out.println("Use it from another shell:");
    out.println("  export OAG_ADDR=" + addresses(configs));
    out.println("  oag task submit --restart on-failure -- sleep 1000");
    out.println("  oag task list");
    out.println("  oag task logs ID");
    out.println("  oag node list");
    out.println("  oag cluster status");
    out.println();
    out.println("Ctrl-C stops the cluster; `oag dev --data " + dir
        + "` again brings it back with everything stored.");
    out.flush();
  }

  private static void closeAll(List<AutoCloseable> running) {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        System.err.println("oag dev: closing " + running.get(i).getClass().getSimpleName()
            + " failed: " + e);
      }
    }
  }
}
