package org.openautoglm.oag.agent.lease;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/**
 * The lease keeper: a small process, one per data dir, started detached from the agent
 * ({@link KeeperProcess}) so that it outlives an agent that crashed or froze. Every {@value
 * #PERIOD_MILLIS} ms it reads {@code DATA/leases/*} and SIGKILLs the process group of each
 * lease whose deadline has passed, records that in {@code <allocId>.killed} and a log line,
 * and removes the lease. It exits by itself once its agent is gone and no lease remains.
 *
 * <p>Usage: {@code Keeper DATA AGENT_PID AGENT_START_TICKS}. The agent's identity comes from
 * these arguments until {@code DATA/keeper.agent} names a newer one (a restarted agent reusing
 * this keeper). One keeper per data dir: it holds a lock on {@code DATA/keeper.lock} while it
 * runs (a second waits up to {@value #LOCK_WAIT_MILLIS} ms, then exits) and records itself in
 * {@code DATA/keeper.pid} as {@code "<pid> <startTicks>"}.
 *
 * <p>Why it is safe: a group is killed only while its leader has the recorded start time, so
 * a reused pid is never hit (a group whose leader already died is left alone: the keeper
 * cannot tell its remnants from a stranger's group). Deadlines are {@code CLOCK_MONOTONIC}
 * nanoseconds ({@link System#nanoTime()} in the agent's JVM and in this one), so a wall-clock
 * jump changes nothing. Before it exits it deletes its pid file and looks once more, so an
 * agent that just started cannot see a keeper that is about to go: it either sees none and
 * starts one, or the keeper sees the agent and stays.
 *
 * <p>Uses nothing beyond the JDK and logs plain {@code key=value} lines to stdout (the
 * launcher appends them to {@code DATA/keeper.log}).
 */
public final class Keeper {
  static final long PERIOD_MILLIS = 200;
  static final long LOCK_WAIT_MILLIS = 10_000;
  static final String PID_FILE = "keeper.pid";
  static final String AGENT_FILE = "keeper.agent";
  static final String LOCK_FILE = "keeper.lock";
  static final String LOG_FILE = "keeper.log";
  static final String REASON = "lease lapsed";

  private final Path data;
  private final Leases leases;
  private final ProcFs proc;
  private final long[] agentFromArgs;

  private Keeper(Path data, long agentPid, long agentStartTicks) {
    this.data = data;
    this.leases = new Leases(data);
    this.proc = ProcFs.host();
    this.agentFromArgs = new long[] {agentPid, agentStartTicks};
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Keeper DATA AGENT_PID AGENT_START_TICKS");
      System.exit(2);
    }
    Keeper keeper = new Keeper(Path.of(args[0]), Long.parseLong(args[1]), Long.parseLong(args[2]));
    System.exit(keeper.run());
  }

  private int run() throws IOException, InterruptedException {
    Files.createDirectories(leases.dir());
    try (FileChannel lockFile = FileChannel.open(data.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = awaitLock(lockFile);
      if (lock == null) {
        log("event=keeper_not_started reason=\"another keeper holds " + LOCK_FILE + "\"");
        return 0;
      }
      writePid();
      log("event=keeper_started agent=" + agent()[0]);
      while (true) {
        enforce();
        if (!agentAlive() && leases.list().isEmpty()) {
          Files.deleteIfExists(data.resolve(PID_FILE));
          if (!agentAlive() && leases.list().isEmpty()) {
            log("event=keeper_exit reason=\"agent gone and no lease left\"");
            return 0;
          }
          writePid();
        }
        Thread.sleep(PERIOD_MILLIS);
      }
    }
  }

  private void enforce() throws IOException {
    for (Map.Entry<String, LeaseFile> e : leases.list().entrySet()) {
      long now = System.nanoTime();
      if (e.getValue().valid(now)) {
        continue;
      }
      Optional<LeaseFile> claimed = leases.claimLapsed(e.getKey(), now);
      if (claimed.isPresent()) {
        kill(e.getKey(), claimed.get(), now);
      }
    }
  }

  private void kill(String allocationId, LeaseFile lease, long now) throws IOException {
    long pgid = lease.pgid();
    boolean ours = proc.stat(pgid)
        .map(s -> s.startTicks() == lease.startTicks() && !s.zombie()).orElse(false);
    long lateMillis = (now - lease.deadlineNanos()) / 1_000_000;
    if (!ours) {
      log("event=lease_lapsed alloc=" + allocationId + " pgid=" + pgid + " late_ms=" + lateMillis
          + " action=none reason=\"group leader gone or its pid reused\"");
      return;
    }
    // The marker first: the agent may see the group gone the moment it dies, and must then
    // find why, or it would restart it.
    leases.markKilled(allocationId, new KilledMarker(pgid, lease.startTicks(),
        lease.deadlineNanos(), now, Instant.now().toString(), REASON));
    int rc = signalGroup(pgid);
    log("event=lease_lapsed alloc=" + allocationId + " pgid=" + pgid + " late_ms=" + lateMillis
        + " action=sigkill kill_rc=" + rc + " reason=\"" + REASON + "\"");
  }

  private static int signalGroup(long pgid) throws IOException {
    Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      return kill.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while killing group " + pgid, e);
    }
  }

  /** The agent's pid and start ticks: from {@code keeper.agent} if present, else the arguments. */
  private long[] agent() {
    try {
      String[] f = Files.readString(data.resolve(AGENT_FILE)).trim().split("\\s+");
      return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    } catch (IOException | RuntimeException e) {
      return agentFromArgs;
    }
  }

  private boolean agentAlive() {
    long[] agent = agent();
    return proc.stat(agent[0]).map(s -> s.startTicks() == agent[1] && !s.zombie()).orElse(false);
  }

  private void writePid() throws IOException {
    long pid = ProcessHandle.current().pid();
    long ticks = proc.stat(pid).map(ProcStat::startTicks).orElse(-1L);
    Path tmp = data.resolve("." + PID_FILE + ".tmp");
    Files.writeString(tmp, pid + " " + ticks + "\n");
    Files.move(tmp, data.resolve(PID_FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static FileLock awaitLock(FileChannel channel) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000;
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null || System.nanoTime() - deadline > 0) {
        return lock;
      }
      Thread.sleep(50);
    }
  }

  private static void log(String line) {
    System.out.println(Instant.now() + " pid=" + ProcessHandle.current().pid() + " " + line);
  }
}
