package org.openautoglm.oag.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the short system commands the harness needs ({@code ip}, {@code iptables}, {@code
 * kill}, {@code mount}) and waits for them, bounded in time. Thread-safe.
 */
public final class Commands {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private Commands() {}

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code argv}; a command that outlives {@code timeout} is killed and reported as 124. */
  public static Result run(List<String> argv, Duration timeout) {
    Path out = null;
    Process p = null;
    try {
      // Output goes to a file, so that a command that hangs cannot block the wait on a pipe.
      out = Files.createTempFile("oag-chaos-cmd", ".out");
      p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(124, "timed out after " + timeout + ": " + String.join(" ", argv));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted: " + String.join(" ", argv));
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  public static Result run(String... argv) {
    return run(List.of(argv), DEFAULT_TIMEOUT);
  }

  /** Runs {@code argv} and fails with its output unless it exits 0. */
  public static String check(String... argv) {
    Result r = run(argv);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exitCode() + ": "
          + r.output());
    }
    return r.output();
  }
}
