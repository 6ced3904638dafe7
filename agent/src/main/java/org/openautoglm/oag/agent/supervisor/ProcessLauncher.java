package org.openautoglm.oag.agent.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/**
 * Starts allocations as {@code setsid sh -c WRAPPER oag-wrapper EXITFILE COMMAND...}: a new
 * session and process group whose leader is a small sh wrapper. The wrapper starts the command
 * as its child, waits for it, and writes its exit status to the allocation's {@code exit} file
 * (temp file, then {@code mv}), so the outcome is known even after an agent restart, when the
 * process is no longer the agent's child. The command travels as positional arguments, never
 * through a shell string. Output is appended straight to files; there are no pipes to drain.
 *
 * <p>Why the wrapper traps TERM, INT and HUP: a stop signals the whole group, the wrapper
 * included, and it must outlive its child to record the status. A trapped (not ignored) signal
 * is reset to its default in the child, so the command still sees them; one that arrived
 * before the child existed is forwarded to it. SIGKILL kills the wrapper too; then no exit
 * file is written.
 *
 * <p>Thread-safe (stateless beyond the proc file system it reads).
 */
public final class ProcessLauncher {
  /**
   * $1 is the exit file, $2 the file for the command's pid; the rest is the command. The loop
   * outlasts waits cut short by a trapped signal.
   */
  static final String WRAPPER = "f=$1; k=$2; shift 2\n"
      + "trap 'p=TERM' TERM; trap 'p=INT' INT; trap 'p=HUP' HUP\n"
      + "\"$@\" &\n"
      + "c=$!\n"
      + "printf '%s\\n' \"$c\" > \"$k.tmp\" && mv -f \"$k.tmp\" \"$k\"\n"
      + "[ -n \"$p\" ] && kill -\"$p\" \"$c\" 2>/dev/null\n"
      + "while :; do\n"
      + "  wait \"$c\"; s=$?\n"
      + "  kill -0 \"$c\" 2>/dev/null || break\n"
      + "done\n"
      + "printf '%s\\n' \"$s\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"\n";

  /** How long launch waits for setsid to have made the new group. */
  private static final long GROUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final ProcFs proc;

  public ProcessLauncher(ProcFs proc) {
    this.proc = proc;
  }

  /** A launcher for this host's {@code /proc}. */
  public ProcessLauncher() {
    this(ProcFs.host());
  }

  /**
   * Starts the allocation persisted in {@code dir} and records its pid and start time in the
   * pid file. Returns once the process group exists, so it can be signalled at once. A stale
   * exit file from an earlier run is removed first.
   *
   * @throws IOException when the wrapper cannot start, or ends without recording a status
   *     (e.g. {@code setsid} or {@code sh} missing; see {@code stderr.log})
   */
  public LaunchedProcess launch(AllocationDir dir) throws IOException {
    Allocation a = dir.allocation();
    Path workingDir = workingDir(dir);
    Files.createDirectories(workingDir);
    dir.clearExit();

    List<String> argv = new ArrayList<>(List.of("setsid", "sh", "-c", WRAPPER, "oag-wrapper",
        dir.exitFile().toAbsolutePath().toString(), dir.commandPidFile().toAbsolutePath().toString()));
    argv.addAll(a.command());
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(workingDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.stdoutFile().toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.stderrFile().toFile()));
    addEnvironment(pb.environment(), a);

    Process p = pb.start();
    AllocationDir.PidRecord identity = awaitGroup(p);
    awaitCommandPid(p, dir);
    dir.writePid(identity);
    if (identity.startTicks() < 0 && dir.exitStatus().isEmpty()) {
      throw new IOException("wrapper for allocation " + a.allocationId() + " exited with "
          + exitValue(p) + " before recording a status; see " + dir.stderrFile());
    }
    return new LaunchedProcess(dir, identity.pid(), identity.startTicks(), proc);
  }

  /** Where the allocation's command runs: its working dir, relative to its folder, or the folder. */
  public static Path workingDir(AllocationDir dir) {
    Allocation a = dir.allocation();
    return a.workingDir() != null ? dir.path().resolve(a.workingDir()) : dir.path();
  }

  /**
   * Adds what the allocation's command sees on top of the agent's environment to {@code env}
   * (a {@link ProcessBuilder}'s): the allocation's variables, then the {@code OAG_*} identity
   * variables, which take precedence. Also what its readiness command sees.
   */
  public static void addEnvironment(Map<String, String> env, Allocation a) {
    env.putAll(a.env());
    env.put("OAG_TASK_ID", a.taskId());
    env.put("OAG_ALLOC_ID", a.allocationId());
    env.put("OAG_ALLOC_GENERATION", Long.toString(a.generation()));
  }

  /**
   * The process recorded in {@code dir}'s pid file, e.g. after an agent restart; empty when
   * it has none. Whether it still runs is {@link LaunchedProcess#alive()}'s question.
   */
  public Optional<LaunchedProcess> reattach(AllocationDir dir) {
    return dir.pid().map(r -> new LaunchedProcess(dir, r.pid(), r.startTicks(), proc));
  }

  /**
   * Waits until setsid has made the process its own group leader, and the wrapper has set its
   * TERM trap (so a stop right after launch still gets an exit file), and reads its start time.
   * The stat is trusted only if the process is still unreaped after reading it (so the pid was
   * not reused); a process that already ended gets start ticks -1, which never matches.
   */
  private AllocationDir.PidRecord awaitGroup(Process p) throws IOException {
    long pid = p.pid();
    long deadline = System.nanoTime() + GROUP_TIMEOUT_NANOS;
    while (true) {
      Optional<ProcStat> stat = proc.stat(pid);
      if (!p.isAlive()) {
        return new AllocationDir.PidRecord(pid, -1);
      }
      if (stat.isPresent() && stat.get().processGroup() == pid && catchesTerm(pid)) {
        return new AllocationDir.PidRecord(pid, stat.get().startTicks());
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("process " + pid + " did not become a process group leader");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * Waits (bounded) until the wrapper has recorded its command's pid, so the first report of
   * a run already names the process a person would signal. A wrapper that ended first has
   * nothing more to record.
   */
  private static void awaitCommandPid(Process p, AllocationDir dir) {
    long deadline = System.nanoTime() + GROUP_TIMEOUT_NANOS;
    while (dir.commandPid().isEmpty() && p.isAlive() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Whether the process has a handler for SIGTERM, from the SigCgt mask of {@code /proc/PID/status}. */
  private boolean catchesTerm(long pid) {
    long termBit = 1L << (15 - 1);
    return proc.read(pid + "/status").flatMap(text -> text.lines()
            .filter(l -> l.startsWith("SigCgt:"))
            .findFirst()
            .map(l -> (Long.parseUnsignedLong(l.substring("SigCgt:".length()).trim(), 16) & termBit) != 0))
        .orElse(false);
  }

  private static String exitValue(Process p) {
    try {
      return p.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
