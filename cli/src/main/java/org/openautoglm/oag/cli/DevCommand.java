package org.openautoglm.oag.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
 * (coordinator cK: API 7069+K, Raft 7079+K, HTTP 8079+K), data in DIR/cK. Runs until
 * Ctrl-C, whose shutdown hook closes every coordinator; the same {@code --data} again
 * recovers everything stored.
 */
@Command(name = "dev", description = "Run a whole coordinator cluster in this process.")
final class DevCommand implements Callable<Integer> {
  static final String HOST = "127.0.0.1";

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (default: ~/.oag/dev); cK keeps its state in DIR/cK.")
  Path data;

  @Option(names = "--coordinators", paramLabel = "N", defaultValue = "3",
      description = "How many coordinators, 1 to 9 (default: ${DEFAULT-VALUE}).")
  int coordinators;

  @Override
  public Integer call() throws Exception {
    if (coordinators < 1 || coordinators > 9) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--coordinators': must be 1 to 9, was " + coordinators);
    }
    Path dir = data != null ? data : CliContext.of(spec).home().resolve(".oag").resolve("dev");
    List<CoordinatorConfig> configs = configs(dir, coordinators);
    List<Coordinator> running = new ArrayList<>();
    try {
      for (CoordinatorConfig c : configs) {
        Files.createDirectories(c.dataDir());
        running.add(Coordinator.start(c));
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
      out.println("oag dev: stopping " + running.size() + " coordinators");
      out.flush();
      closeAll(running);
      stopped.countDown();
    }, "oag-dev-shutdown"));
    banner(out, dir, configs);
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

  static String addresses(List<CoordinatorConfig> configs) {
    return String.join(",", configs.stream().map(c -> c.self().apiAddress()).toList());
  }

  private static void banner(PrintWriter out, Path dir, List<CoordinatorConfig> configs) {
    out.printf("oag dev: %d coordinators on %s, data in %s%n", configs.size(), HOST, dir);
    for (CoordinatorConfig c : configs) {
      out.printf("  %s  api %s  raft %s  metrics http://%s:%d/metrics%n", c.nodeId(),
          c.self().apiAddress(), c.self().raftAddress(), HOST, c.httpPort());
    }
    out.println();
    out.println("Use it from another shell:");
    out.println("  export OAG_ADDR=" + addresses(configs));
    out.println("  oag task submit -- sleep 100");
    out.println("  oag task list");
    out.println("  oag cluster status");
    out.println();
    out.println("Ctrl-C stops the cluster; `oag dev --data " + dir
        + "` again brings it back with everything stored.");
    out.flush();
  }

  private static void closeAll(List<Coordinator> running) {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("oag dev: closing a coordinator failed: " + e);
      }
    }
  }
}
