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
import java.util.stream.Stream;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;

/**
 * One coordinator of the cluster under test: a separate JVM this harness started and owns
 * by pid. Process faults act on that pid only: SIGKILL, SIGSTOP/SIGCONT, restart with the
 * data kept, and wiping the data before a restart.
 *
 * <p>Output (stdout and stderr, every incarnation) is appended to {@link #logFile()}.
 * Thread-safe: the process handle is {@link OwnedJvm}'s.
 */
public final class CoordinatorProcess {
  private final String id;
  private final String host;
  private final int apiPort;
  private final Path dataDir;
  private final Path logFile;
  private final OwnedJvm jvm;
  private final CoordinatorClient self;

  CoordinatorProcess(String id, String host, int apiPort, Path dataDir, Path logFile, List<String> argv) {
    this.id = id;
    this.host = host;
    this.apiPort = apiPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.jvm = new OwnedJvm(id, dataDir, logFile, argv);
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
  public void start() {
    jvm.start();
  }

  public boolean running() {
    return jvm.running();
  }

  public boolean paused() {
    return jvm.paused();
  }

  /** The exit code of the last process once it has exited; empty while it runs or before a start. */
  public OptionalInt exitCode() {
    return jvm.exitCode();
  }

  /** The pid of the current process, or -1 when none was started. */
  public long pid() {
    return jvm.pid();
  }

  /** SIGKILL, then waits until the process is gone. No-op when it is not running. */
  public void kill() {
    jvm.kill();
  }

  /** SIGSTOP: the JVM freezes with its sockets open, like a long GC pause or a stalled VM. */
  public void pause() {
    jvm.pause();
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    jvm.resume();
  }

  /** Deletes everything in the data directory (the directory itself stays: it may be a mount point). */
  public void wipe() {
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
  void destroy() {
    try {
      jvm.destroy();
    } finally {
      self.close();
    }
  }

  @Override
  public String toString() {
    return id + "@" + apiAddress();
  }
}
