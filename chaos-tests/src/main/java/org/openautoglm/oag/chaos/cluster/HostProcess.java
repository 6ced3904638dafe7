package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.openautoglm.oag.chaos.Commands;

/**
 * A process on this host known by pid and start time (field 22 of {@code /proc/PID/stat}),
 * so that a pid the kernel has since given to a stranger is never signalled. The agent writes
 * its allocations' group leaders and its keeper in this form ({@code "<pid> <startTicks>"}).
 */
public record HostProcess(long pid, long startTicks) {

  /** Parses {@code "<pid> <startTicks>"} (what the agent's pid files hold). */
  public static Optional<HostProcess> parse(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new HostProcess(Long.parseLong(f[0]), Long.parseLong(f[1])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Reads a pid file in that form; empty when it is missing or unreadable. */
  public static Optional<HostProcess> read(Path pidFile) {
    try {
      return parse(Files.readString(pidFile));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The process {@code pid} is now, when it runs. */
  public static Optional<HostProcess> of(long pid) {
    return stat(pid).map(s -> new HostProcess(pid, s.startTicks));
  }

  /** Whether this very process still runs (same start time, not a zombie). */
  public boolean alive() {
    return stat(pid).map(s -> s.startTicks == startTicks && s.state != 'Z').orElse(false);
  }

  /** SIGKILL to this process alone, if it is still this process. */
  public void kill() {
    if (alive()) {
      Commands.run("kill", "-KILL", Long.toString(pid));
    }
  }

  /** SIGKILL to the process group this process leads, if it is still this process. */
  public void killGroup() {
    if (alive()) {
      Commands.run("kill", "-KILL", "--", "-" + pid);
    }
  }

  private record Stat(char state, long startTicks) {}

  private static Optional<Stat> stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: fields 3.. follow the last ')'.
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
      return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
