package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.chaos.Commands;

/**
 * One JVM of the cluster under test (a coordinator or an agent) that this harness starts and
 * owns by pid, again and again on the same data directory: start, SIGKILL, SIGSTOP/SIGCONT.
 * Output (stdout and stderr, every incarnation) is appended to one log file. Thread-safe: the
 * process handle changes only under this object's lock.
 */
final class OwnedJvm {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final String id;
  private final Path dataDir;
  private final Path logFile;
  private final List<String> argv;
  private final Map<String, String> environment;
  private Process process;
  private boolean paused;

  OwnedJvm(String id, Path dataDir, Path logFile, List<String> argv) {
    this(id, dataDir, logFile, argv, Map.of());
  }

  /** A JVM started with {@code environment} on top of the harness's own. */
  OwnedJvm(String id, Path dataDir, Path logFile, List<String> argv, Map<String, String> environment) {
    this.id = id;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.argv = List.copyOf(argv);
    this.environment = Map.copyOf(environment);
  }

  /** Starts the JVM on its data directory; it must not be running. */
  synchronized void start() {
    if (running()) {
      throw new IllegalStateException(id + " is already running as pid " + process.pid());
    }
    try {
      Files.createDirectories(dataDir);
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + id + ": " + String.join(" ", argv), e);
    }
  }

  synchronized boolean running() {
    return process != null && process.isAlive();
  }

  synchronized boolean paused() {
    return running() && paused;
  }

  /** The exit code of the last process once it has exited; empty while it runs or before a start. */
  synchronized OptionalInt exitCode() {
    return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** The pid of the current process, or -1 when none was started. */
  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL, then waits until the process is gone. No-op when it is not running. */
  synchronized void kill() {
    if (!running()) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(id + " (pid " + process.pid() + ") did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + id + " to exit", e);
    }
  }

  /** SIGSTOP. */
  synchronized void pause() {
    requireRunning("pause");
    Commands.check("kill", "-STOP", Long.toString(process.pid()));
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  synchronized void resume() {
    requireRunning("resume");
    Commands.check("kill", "-CONT", Long.toString(process.pid()));
    paused = false;
  }

  /** SIGCONT if paused, then SIGKILL: how the harness ends it for good. */
  synchronized void destroy() {
    if (running() && paused) {
      Commands.run("kill", "-CONT", Long.toString(process.pid()));
    }
    kill();
  }

  private void requireRunning(String what) {
    if (!running()) {
      throw new IllegalStateException(what + " " + id + ": not running");
    }
  }
}
