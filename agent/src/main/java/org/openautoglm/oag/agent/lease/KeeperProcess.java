package org.openautoglm.oag.agent.lease;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/**
 * Starts the data dir's {@link Keeper}, or finds the one that runs.
 *
 * <p>The keeper runs as {@code setsid JAVA -Xmx24m ... -cp CP Keeper DATA AGENT_PID
 * AGENT_START_TICKS}: in its own session, so it does not share the agent's fate (a signal to
 * the agent's group or terminal does not reach it); with this JVM's {@code java} binary and,
 * as classpath, the location this class was loaded from (the agent's jar or classes folder:
 * the keeper needs nothing else); with a small heap, the serial GC and the C1 compiler only;
 * output appended to {@code DATA/keeper.log}.
 *
 * <p>Stateless; call it before writing any lease (e.g. when the agent starts). Blocks up to
 * {@link #START_TIMEOUT_NANOS} while a new keeper starts.
 */
public final class KeeperProcess {
  static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  static final List<String> JVM_FLAGS = List.of("-Xmx24m", "-Xss256k", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

  private KeeperProcess() {}

  /**
   * Makes sure a keeper guards {@code data} for the agent with pid {@code agentPid} (usually
   * this JVM) and returns the keeper's pid. A running keeper is reused and told the agent's
   * identity (in {@code keeper.agent}, so a restarted agent keeps it alive); otherwise one is
   * started and this returns once it has recorded itself.
   *
   * @throws IOException when the agent is not running, or no keeper could be started
   */
  public static long ensureRunning(Path data, long agentPid) throws IOException {
    ProcFs proc = ProcFs.host();
    long agentTicks = proc.stat(agentPid).map(ProcStat::startTicks)
        .orElseThrow(() -> new IOException("agent " + agentPid + " is not running"));
    Files.createDirectories(data);
    Path tmp = data.resolve("." + Keeper.AGENT_FILE + ".tmp");
    Files.writeString(tmp, agentPid + " " + agentTicks + "\n");
    Files.move(tmp, data.resolve(Keeper.AGENT_FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Optional<Long> running = running(data, proc);
    if (running.isPresent()) {
      return running.get();
    }
    Process started = start(data, agentPid, agentTicks);
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (System.nanoTime() - deadline < 0) {
      running = running(data, proc);
      if (running.isPresent()) {
        return running.get();
      }
      if (!started.isAlive() && running(data, proc).isEmpty()) {
        throw new IOException("keeper exited with " + started.exitValue() + "; see "
            + data.resolve(Keeper.LOG_FILE));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    started.destroyForcibly();
    throw new IOException("keeper did not start within "
        + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NANOS) + " s");
  }

  /** The pid of the keeper recorded in {@code data}, while that very process runs. */
  public static Optional<Long> running(Path data) {
    return running(data, ProcFs.host());
  }

  private static Optional<Long> running(Path data, ProcFs proc) {
    try {
      String[] f = Files.readString(data.resolve(Keeper.PID_FILE)).trim().split("\\s+");
      long pid = Long.parseLong(f[0]);
      long ticks = Long.parseLong(f[1]);
      return proc.stat(pid).filter(s -> s.startTicks() == ticks && !s.zombie()).map(s -> pid);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Process start(Path data, long agentPid, long agentTicks) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of("setsid", java));
    argv.addAll(JVM_FLAGS);
    argv.addAll(List.of("-cp", classpath(), Keeper.class.getName(),
        data.toAbsolutePath().toString(), Long.toString(agentPid), Long.toString(agentTicks)));
    File log = data.resolve(Keeper.LOG_FILE).toFile();
    return new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectError(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  /** Where the keeper's classes are: this class's jar or classes folder. */
  private static String classpath() throws IOException {
    try {
      return Path.of(Keeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IOException("cannot locate the keeper's classes", e);
    }
  }
}
