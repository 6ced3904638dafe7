package org.openautoglm.oag.agent.ready;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.agent.supervisor.AllocationDir;
import org.openautoglm.oag.agent.supervisor.ProcessLauncher;

/**
 * Runs one readiness check once, blocking for at most its timeout plus the moment a kill
 * takes. Stateless; any thread.
 *
 * <p>A command runs as {@code setsid COMMAND...} in the allocation's working directory with
 * the environment its own process gets ({@link ProcessLauncher#workingDir}, {@link
 * ProcessLauncher#addEnvironment}), input from /dev/null, output discarded. The JVM's child
 * is never a group leader, so setsid makes it one and execs in place: the command leads a new
 * process group whose id is its pid, and one that outlives its timeout (or whose check is
 * cancelled) is SIGKILLed with everything it started. A command that exits in time is not
 * chased further: what it left running is its own business.
 */
final class Checker {
  private static final InetAddress LOOPBACK = loopback();
  /** How long to wait for a killed command to go; the kernel needs a moment. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  private Checker() {}

  /**
   * Runs {@code check} for the allocation in {@code dir}.
   *
   * @throws InterruptedException when interrupted (the check was cancelled); a command is
   *     killed first
   */
  static CheckResult run(ReadinessCheck check, AllocationDir dir) throws InterruptedException {
    return check.isTcp() ? tcp(check.tcpPort(), check.timeout())
        : command(check.command(), dir, check.timeout());
  }

  static CheckResult tcp(int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      return CheckResult.PASSED;
    } catch (SocketTimeoutException e) {
      return CheckResult.failed("connect to 127.0.0.1:" + port + " timed out after "
          + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return CheckResult.failed("connect to 127.0.0.1:" + port + ": " + e.getMessage());
    }
  }

  static CheckResult command(List<String> command, AllocationDir dir, Duration timeout)
      throws InterruptedException {
    List<String> argv = new ArrayList<>(command.size() + 1);
    argv.add("setsid");
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(ProcessLauncher.workingDir(dir).toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    ProcessLauncher.addEnvironment(pb.environment(), dir.allocation());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return CheckResult.failed("command did not start: " + e.getMessage());
    }
    try {
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(p);
        return CheckResult.failed("command timed out after " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    int code = p.exitValue();
    return code == 0 ? CheckResult.PASSED : CheckResult.failed("command exited " + code);
  }

  /**
   * SIGKILLs the command's process group. When there is none yet (setsid has not run), the
   * process itself is killed, and then its group, which exists only if setsid ran meanwhile
   * (a group's id is not reused while a member lives).
   */
  private static void kill(Process p) {
    long pgid = p.pid();
    boolean groupKilled = signalGroup(pgid);
    p.destroyForcibly();
    awaitExit(p, AFTER_KILL);
    if (!groupKilled) {
      signalGroup(pgid);
    }
  }

  /** {@code kill -KILL -- -PGID}; whether it reached a group. Not cut short by an interrupt. */
  private static boolean signalGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return awaitExit(kill, AFTER_KILL) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits up to {@code bound} for {@code p} to end, through interrupts (restored after). */
  private static boolean awaitExit(Process p, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);   // four bytes are always a valid address
    }
  }
}
