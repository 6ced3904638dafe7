package org.openautoglm.oag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a pid is the coordinator the probe means to kill, and refuses anything
 * else. A pid file can be stale and a pid reused, so the pid must belong to a live process
 * whose command line has the word {@code coordinator}, {@code --id <member>} and, when the
 * member's data dir is known, {@code --data <that dir>} (the same test as {@code
 * deploy/local-cluster.sh stop}). The returned handle carries the process start time, so
 * {@link ProcessHandle#destroyForcibly()} on it cannot hit a process that reused the pid in
 * between.
 */
final class CoordinatorPid {
  private CoordinatorPid() {}

  /**
   * The live process {@code pid}, verified as coordinator {@code memberId} on
   * {@code memberDataDir} (null: not checked). Throws {@link BenchException} otherwise.
   */
  static ProcessHandle verify(long pid, String memberId, Path memberDataDir) {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new BenchException(
        "pid " + pid + " of " + memberId + " is not running; refusing to kill anything"));
    Optional<String[]> args = p.info().arguments();
    String why = mismatch(args.map(List::of).orElse(List.of()), memberId, memberDataDir);
    if (why != null) {
      throw new BenchException("pid " + pid + " is not coordinator " + memberId + " ("
          + why + "; command line: " + p.info().commandLine().orElse("unknown")
          + "); refusing to kill it");
    }
    return p;
  }

  /** Why {@code args} are not those of the coordinator, or null when they are. */
  static String mismatch(List<String> args, String memberId, Path memberDataDir) {
    if (args.isEmpty()) {
      return "its arguments cannot be read";
    }
    if (!args.contains("coordinator")) {
      return "no 'coordinator' argument";
    }
    if (!hasOption(args, "--id", memberId)) {
      return "no '--id " + memberId + "'";
    }
    if (memberDataDir != null && !hasDataDir(args, memberDataDir)) {
      return "no '--data " + memberDataDir + "'";
    }
    return null;
  }

  private static boolean hasOption(List<String> args, String name, String value) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals(name + "=" + value)
          || (a.equals(name) && i + 1 < args.size() && args.get(i + 1).equals(value))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasDataDir(List<String> args, Path expected) {
    Path want = expected.toAbsolutePath().normalize();
    for (int i = 0; i < args.size(); i++) {
      String value = null;
      if (args.get(i).startsWith("--data=")) {
        value = args.get(i).substring("--data=".length());
      } else if (args.get(i).equals("--data") && i + 1 < args.size()) {
        value = args.get(i + 1);
      }
      if (value != null && !value.isEmpty() && sameDir(Path.of(value), want)) {
        return true;
      }
    }
    return false;
  }

  /** Equal paths, or (both existing) the same directory reached through links. */
  private static boolean sameDir(Path given, Path want) {
    Path p = given.toAbsolutePath().normalize();
    if (p.equals(want)) {
      return true;
    }
    try {
      return Files.exists(p) && Files.exists(want) && Files.isSameFile(p, want);
    } catch (IOException e) {
      return false;
    }
  }
}
