package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.chaos.Commands;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;

/**
 * One coordinator of the cluster under test: a separate JVM this harness started and owns
 * by pid. Process faults act on that pid only: SIGKILL, SIGSTOP/SIGCONT, restart with the
 * data kept, and wiping the data before a restart.
 *
 * <p>Output (stdout and stderr, every incarnation) is appended to {@link #logFile()}.
 * Thread-safe: the process handle changes only under this object's lock.
 */
public final class CoordinatorProcess {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final String id;
  private final String host;
  private final int apiPort;
  private final Path dataDir;
  private final Path logFile;
  private final List<String> argv;
  private final CoordinatorClient self;
  private Process process;
  private boolean paused;

  CoordinatorProcess(String id, String host, int apiPort, Path dataDir, Path logFile, List<String> argv) {
    this.id = id;
    this.host = host;
    this.apiPort = apiPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.argv = List.copyOf(argv);
    // Asks this node only: a follower answers status itself, so no leader hint is followed.
    this.self = CoordinatorClient.connect(ClientConfig.builder(apiAddress())
        .deadline(Duration.ofSeconds(3)).retryBudget(Duration.ofSeconds(3))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build());
  }

  public String id() {
    return id;
  }

  public String host() {
    return host;
  }

  public String apiAddress() {
    return host + ":" + apiPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the JVM; the node must not be running. */
  public synchronized void start() {
    if (running()) {
      throw new IllegalStateException(id + " is already running as pid " + process.pid());
    }
    try {
      Files.createDirectories(dataDir);
      process = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + id + ": " + String.join(" ", argv), e);
    }
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  public synchronized boolean paused() {
    return running() && paused;
  }

  /** The exit code of the last process once it has exited; empty while it runs or before a start. */
  public synchronized OptionalInt exitCode() {
    return process == null || process.isAlive() ? OptionalInt.empty()
        : OptionalInt.of(process.exitValue());
  }

  /** The pid of the current process, or -1 when none was started. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL, then waits until the process is gone. No-op when it is not running. */
  public synchronized void kill() {
    if (!running()) {
      return;
    }
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGSTOP: the JVM freezes with its sockets open, like a long GC pause or a stalled VM. */
  public synchronized void pause() {
    requireRunning("pause");
    Commands.check("kill", "-STOP", Long.toString(process.pid()));
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    requireRunning("resume");
    Commands.check("kill", "-CONT", Long.toString(process.pid()));
    paused = false;
  }

  /** Deletes everything in the data directory (the directory itself stays: it may be a mount point). */
  public synchronized void wipe() {
    if (running()) {
      throw new IllegalStateException("wipe " + id + ": still running");
    }
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dataDir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dataDir)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("wipe " + dataDir, e);
    }
  }

  /** This node's own status, or empty when it does not answer (dead, paused, starting). */
  public Optional<NodeView> view() {
    try {
      ClusterStatus s = self.clusterStatus();
      return s.getMembersList().stream().filter(m -> m.getId().equals(id)).findFirst()
          .map(m -> view(m, s.getLeader()));
    } catch (OagException e) {
      return Optional.empty();
    }
  }

  private NodeView view(Member m, String leader) {
    return new NodeView(id, m.getRole(), leader, m.getTerm(), m.getAppliedIndex(), m.getDigest());
  }

  /** Ends the process (SIGCONT first if paused, then SIGKILL) and releases the status client. */
  synchronized void destroy() {
    try {
      if (running() && paused) {
        Commands.run("kill", "-CONT", Long.toString(process.pid()));
      }
      kill();
    } finally {
      self.close();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(id + " (pid " + process.pid() + ") did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + id + " to exit", e);
    }
  }

  private void requireRunning(String what) {
    if (!running()) {
      throw new IllegalStateException(what + " " + id + ": not running");
    }
  }

  @Override
  public String toString() {
    return id + "@" + apiAddress();
  }
}
