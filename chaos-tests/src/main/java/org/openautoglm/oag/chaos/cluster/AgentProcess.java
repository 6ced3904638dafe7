package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One agent of the cluster under test: an {@code oag agent} JVM this harness started and owns
 * by pid, with its own data directory (allocations, the keeper's pid file, lease files and
 * log). Process faults act on that pid only: SIGKILL, SIGSTOP/SIGCONT, and a restart on the
 * same data directory (which re-adopts what still runs there).
 *
 * <p>What the agent started outlives it on purpose: the keeper (its own session) and every
 * allocation's process group. This class finds them through the data directory's pid files
 * ({@code "<pid> <startTicks>"}), so {@link #destroy()} ends exactly what this agent started
 * and never a process that merely reused a pid.
 *
 * <p>Output (stdout and stderr, every incarnation) is appended to {@link #logFile()}.
 * Thread-safe: the process handle is {@link OwnedJvm}'s.
 */
public final class AgentProcess {
  /** The keeper's line for a group it killed: {@code event=lease_lapsed alloc=ID ... action=sigkill}. */
  private static final Pattern KEEPER_KILL = Pattern.compile(
      "event=lease_lapsed alloc=(\\S+) .*late_ms=(-?\\d+) action=sigkill");
  /** The agent's lines for a session with a coordinator that began or ended. */
  private static final Pattern SESSION = Pattern.compile(
      "event=(link_established|session_ended) node=\\S+ coordinator=(\\S+)");

  private final String id;
  private final Path dataDir;
  private final Path logFile;
  private final OwnedJvm jvm;

  AgentProcess(String id, Path dataDir, Path logFile, List<String> argv) {
    this.id = id;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.jvm = new OwnedJvm(id, dataDir, logFile, argv);
  }

  /** The node id the agent registers with. */
  public String id() {
    return id;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the agent's JVM on its data directory; it must not be running. */
  public void start() {
    jvm.start();
  }

  public boolean running() {
    return jvm.running();
  }

  public boolean paused() {
    return jvm.paused();
  }

  /** The pid of the current agent JVM, or -1 when none was started. */
  public long pid() {
    return jvm.pid();
  }

  /** SIGKILL to the agent alone (its keeper and tasks go on), then waits until it is gone. */
  public void kill() {
    jvm.kill();
  }

  /** SIGSTOP: the agent freezes, renewing no lease; its keeper and tasks go on. */
  public void pause() {
    jvm.pause();
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    jvm.resume();
  }

  /** The keeper guarding this data directory, while that very process runs. */
  public Optional<HostProcess> keeper() {
    return HostProcess.read(dataDir.resolve("keeper.pid")).filter(HostProcess::alive);
  }

  /**
   * The process group leader of an allocation this agent started (the wrapper), as its pid
   * file names it; empty when the agent wrote none. It may have ended: see {@link
   * HostProcess#alive()}.
   */
  public Optional<HostProcess> allocationGroup(String allocationId) {
    return HostProcess.read(allocationsDir().resolve(allocationId).resolve("pid"));
  }

  /** Every allocation's group leader this agent recorded, by allocation id. */
  public Map<String, HostProcess> allocationGroups() {
    Map<String, HostProcess> out = new TreeMap<>();
    if (!Files.isDirectory(allocationsDir())) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(allocationsDir())) {
      for (Path d : dirs.toList()) {
        HostProcess.read(d.resolve("pid")).ifPresent(p -> out.put(d.getFileName().toString(), p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("list " + allocationsDir(), e);
    }
    return out;
  }

  /**
   * The allocations whose process group this data directory's keeper SIGKILLed for a lapsed
   * lease, by allocation id, with how late after the lease's deadline it acted (ms), from
   * {@code keeper.log} (appended by every keeper of this directory).
   */
  public Map<String, Long> keeperKills() {
    Map<String, Long> out = new TreeMap<>();
    Path log = dataDir.resolve("keeper.log");
    if (!Files.isRegularFile(log)) {
      return out;
    }
    try (Stream<String> lines = Files.lines(log)) {
      lines.forEach(line -> {
        Matcher m = KEEPER_KILL.matcher(line);
        if (m.find()) {
          out.put(m.group(1), Long.parseLong(m.group(2)));
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot read " + log, e);
    }
    return out;
  }

  /**
   * The agent's first log line saying the allocation passed its readiness check ({@code
   * event=allocation_ready ... alloc=ID}), with its timestamp; empty when it logged none.
   */
  public Optional<String> readyLine(String allocationId) {
    if (!Files.isRegularFile(logFile)) {
      return Optional.empty();
    }
    String needle = "event=allocation_ready node=" + id + " alloc=" + allocationId + " ";
    try (Stream<String> lines = Files.lines(logFile)) {
      return lines.filter(l -> l.contains(needle)).findFirst();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot read " + logFile, e);
    }
  }

  /**
   * The coordinator ({@code host:port}) the agent's session runs through now, from the last
   * session line of its log ({@code event=link_established} or {@code event=session_ended});
   * empty when it has none.
   */
  public Optional<String> sessionCoordinator() {
    if (!Files.isRegularFile(logFile)) {
      return Optional.empty();
    }
    String[] last = null;
    try (Stream<String> lines = Files.lines(logFile)) {
      for (String line : (Iterable<String>) lines::iterator) {
        Matcher m = SESSION.matcher(line);
        if (m.find()) {
          last = new String[] {m.group(1), m.group(2)};
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot read " + logFile, e);
    }
    return last != null && last[0].equals("link_established") ? Optional.of(last[1]) : Optional.empty();
  }

  /**
   * Ends the agent (SIGCONT first if paused, then SIGKILL), then every allocation group it
   * recorded that still runs, then its keeper: everything this agent started, by pid and start
   * time.
   */
  void destroy() {
    List<RuntimeException> failures = new ArrayList<>();
    try {
      jvm.destroy();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    try {
      allocationGroups().values().forEach(HostProcess::killGroup);
      keeper().ifPresent(HostProcess::kill);
    } catch (RuntimeException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private Path allocationsDir() {
    return dataDir.resolve("allocations");
  }

  @Override
  public String toString() {
    return id + " (agent, pid " + pid() + ")";
  }
}
