package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.agent.host.ProcFs;

/**
 * A started allocation's process group, known by the leader's pid and start time only, so it
 * works the same for a process this agent started and one it re-adopted after a restart (no
 * longer its child). Signals go to the whole group with {@code kill -SIG -- -PGID}, and only
 * while the leader is verifiably the recorded process: a reused pid with another start time
 * is never signalled.
 *
 * <p>Thread-safe; {@link #stop} blocks up to its grace period plus a moment.
 */
public final class LaunchedProcess {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How long to wait for the leader to go after SIGKILL; the kernel needs a moment. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  private final AllocationDir dir;
  private final long pgid;
  private final long startTicks;
  private final ProcFs proc;

  LaunchedProcess(AllocationDir dir, long pgid, long startTicks, ProcFs proc) {
    this.dir = dir;
    this.pgid = pgid;
    this.startTicks = startTicks;
    this.proc = proc;
  }

  /** The process group id, which is also the pid of the group leader (the wrapper). */
  public long pgid() {
    return pgid;
  }

  /** The leader's start time in clock ticks after boot; -1 when it ended before it was read. */
  public long startTicks() {
    return startTicks;
  }

  public AllocationDir dir() {
    return dir;
  }

  /** Whether the group leader still runs: same pid, same start time, not a zombie. */
  public boolean alive() {
    return proc.stat(pgid).map(s -> s.startTicks() == startTicks && !s.zombie()).orElse(false);
  }

  /** Whether the group leader is alive and stopped (state T), as a paused group's is. */
  public boolean stopped() {
    return proc.stat(pgid).map(s -> s.startTicks() == startTicks && (s.state() == 'T' || s.state() == 't'))
        .orElse(false);
  }

  /** Seconds since the group leader started, from {@code /proc/uptime}; 0 when unknown. */
  double uptimeSeconds() {
    return proc.uptimeSeconds()
        .map(u -> Math.max(0, u - (double) startTicks / proc.ticksPerSecond()))
        .orElse(0.0);
  }

  /** Stops (SIGSTOP) every process of the group; a no-op when it is gone. */
  public void pause() throws IOException {
    signalIfAlive("STOP");
  }

  /** Continues (SIGCONT) every process of the group; a no-op when it is gone. */
  public void resume() throws IOException {
    signalIfAlive("CONT");
  }

  /**
   * Sends SIGTERM to the group (and SIGCONT, so a paused group can act on it), waits up to
   * {@code grace} for the leader to end, then sends SIGKILL to the group to take whatever is
   * left. Returns once the leader is gone, or after a short bound past the kill.
   */
  public void stop(Duration grace) throws IOException {
    if (!signalIfAlive("TERM")) {
      return;
    }
    signal("CONT");
    awaitGone(grace);
    // The group may outlive its leader (grandchildren); a pgid cannot be reused while any
    // member lives, so this reaches only our stragglers or nobody.
    signal("KILL");
    awaitGone(AFTER_KILL);
  }

  /**
   * SIGKILLs whatever is left of the group once its leader is gone (children the command
   * left behind, or the command itself when the wrapper was killed), so a restart never runs
   * beside a straggler of the previous run. A pgid is not reused while a member lives.
   */
  public void killStragglers() throws IOException {
    if (!alive()) {
      signal("KILL");
    }
  }

  /** The command's exit status as the wrapper recorded it; empty while it runs or if SIGKILLed. */
  public Optional<Integer> exitStatus() {
    return dir.exitStatus();
  }

  private boolean signalIfAlive(String signal) throws IOException {
    return alive() && signal(signal);
  }

  private boolean awaitGone(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (alive()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return true;
  }

  private boolean signal(String signal) throws IOException {
    Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      return kill.waitFor() == 0;
    } catch (InterruptedException e) {
      kill.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling group " + pgid, e);
    }
  }

  @Override
  public String toString() {
    return "LaunchedProcess{allocation=" + dir.allocation().allocationId() + ", pgid=" + pgid
        + ", startTicks=" + startTicks + "}";
  }
}
