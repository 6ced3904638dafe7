package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.OagException;

/**
 * One coordinator of the cluster under test: a separate JVM this harness started and owns
 * by pid. Process faults act on that pid only: SIGKILL, SIGSTOP/SIGCONT, restart with the
 * data kept, and wiping the data before a restart; on a cluster with fake clocks, jumps of
 * its wall clock.
 *
 * <p>Output (stdout and stderr, every incarnation) is appended to {@link #logFile()}.
 * Thread-safe: the process handle is {@link OwnedJvm}'s.
 */
public final class CoordinatorProcess {
  /** Ratis's segment files: closed {@code log_START-END}, open {@code log_inprogress_START}. */
  private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  private final String id;
  private final String host;
  private final int apiPort;
  private final Path dataDir;
  private final Path logFile;
  private final OwnedJvm jvm;
  private final FakeClock clock;
  private final CoordinatorClient self;

  /** {@code clock}: the wall clock the JVM reads through libfaketime, or null for the real one. */
  CoordinatorProcess(String id, String host, int apiPort, Path dataDir, Path logFile, List<String> argv,
      FakeClock clock) {
    this.id = id;
    this.host = host;
    this.apiPort = apiPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.clock = clock;
    this.jvm = new OwnedJvm(id, dataDir, logFile, argv, clock == null ? Map.of() : clock.environment());
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
    releaseFakeClock(jvm.pid());   // a previous incarnation may have died without cleaning up
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
    long pid = jvm.pid();
    jvm.kill();
    releaseFakeClock(pid);
  }

  /** SIGSTOP: the JVM freezes with its sockets open, like a long GC pause or a stalled VM. */
  public void pause() {
    jvm.pause();
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    jvm.resume();
  }

  /** Its faked wall clock, when the cluster was started with {@link ClusterSpec#withFakeClocks()}. */
  public Optional<FakeClock> clock() {
    return Optional.ofNullable(clock);
  }

  /**
   * Jumps its wall clock to real time plus {@code offset} (whole seconds; replacing any offset
   * set before), within {@link FakeClock#TAKES_EFFECT_WITHIN}, running or not: a restart keeps
   * it. Its monotonic clock is left alone. Needs {@link ClusterSpec#withFakeClocks()}.
   */
  public void jumpClock(Duration offset) {
    fakeClock().set(offset);
  }

  /** Sets its wall clock back to real time (within {@link FakeClock#TAKES_EFFECT_WITHIN}). */
  public void resetClock() {
    fakeClock().reset();
  }

  private void releaseFakeClock(long pid) {
    if (clock != null) {
      FakeClock.release(pid);
    }
  }

  private FakeClock fakeClock() {
    if (clock == null) {
      throw new IllegalStateException(id + " has a real clock: start the cluster withFakeClocks()");
    }
    return clock;
  }

  /**
   * The first index its Raft log still holds, read off the names of its segment files (the
   * log starts at 0; it starts later once a purge deleted segments up to a snapshot); empty
   * when it has no segment yet. Read from disk, so it works while the node is paused or down.
   */
  public OptionalLong raftLogStart() {
    OptionalLong first = OptionalLong.empty();
    Path raft = dataDir.resolve("raft");
    if (!Files.isDirectory(raft)) {
      return first;
    }
    // Directory streams, not walks: Ratis deletes segments meanwhile, which a walk reports as an error.
    try (DirectoryStream<Path> groups = Files.newDirectoryStream(raft, Files::isDirectory)) {
      for (Path group : groups) {
        Path current = group.resolve("current");
        if (!Files.isDirectory(current)) {
          continue;
        }
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(current)) {
          for (Path segment : segments) {
            Matcher m = SEGMENT.matcher(segment.getFileName().toString());
            if (m.matches()) {
              long start = Long.parseLong(m.group(1));
              if (first.isEmpty() || start < first.getAsLong()) {
                first = OptionalLong.of(start);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the Raft log of " + id + " in " + raft, e);
    }
    return first;
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
    return new NodeView(id, m.getRole(), leader, m.getTerm(), m.getAppliedIndex(), m.getDigest(),
        m.getSnapshotInstalls());
  }

  /** Ends the process (SIGCONT first if paused, then SIGKILL) and releases the status client. */
  void destroy() {
    long pid = jvm.pid();
    try {
      jvm.destroy();
      releaseFakeClock(pid);
    } finally {
      self.close();
    }
  }

  @Override
  public String toString() {
    return id + "@" + apiAddress();
  }
}
