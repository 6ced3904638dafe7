package org.openautoglm.oag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides whether a pid is the cluster member the probe means to kill, and refuses anything
 * else. A pid file can be stale and a pid reused, so the pid must belong to a live process
 * whose command line is that member's, as {@link ClusterScript#mismatch} defines it for each
 * script (the same test as the script's own {@code stop}). The returned handle carries the
 * process start time, so {@link ProcessHandle#destroyForcibly()} on it cannot hit a process
 * that reused the pid in between.
 */
final class MemberPid {
  private MemberPid() {}

  /**
   * The live process {@code pid}, verified as member {@code memberId} of a {@code script}
   * cluster on {@code memberDataDir} (null: not checked). Throws {@link BenchException}
   * otherwise.
   */
  static ProcessHandle verify(ClusterScript script, long pid, String memberId,
      Path memberDataDir) {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new BenchException(
        "pid " + pid + " of " + memberId + " is not running; refusing to kill anything"));
    ProcessHandle.Info info = p.info();
    String why = script.mismatch(info.command().orElse(null),
        info.arguments().map(List::of).orElse(List.of()), memberId, memberDataDir);
    if (why != null) {
      throw new BenchException("pid " + pid + " is not " + script.what() + " " + memberId
          + " (" + why + "; command line: " + info.commandLine().orElse("unknown")
          + "); refusing to kill it");
    }
    return p;
  }

  /**
   * Why {@code args} lack {@code idOption memberId} or (when {@code memberDataDir} is not
   * null) {@code dataOption <that dir>}; null when they have both. Options may be written
   * {@code --x v} or {@code --x=v}; directories compare after normalizing and through links.
   */
  static String missingOptions(List<String> args, String idOption, String memberId,
      String dataOption, Path memberDataDir) {
    if (!hasOption(args, idOption, memberId)) {
      return "no '" + idOption + " " + memberId + "'";
    }
    if (memberDataDir != null && !hasDir(args, dataOption, memberDataDir)) {
      return "no '" + dataOption + " " + memberDataDir + "'";
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

  private static boolean hasDir(List<String> args, String name, Path expected) {
    Path want = expected.toAbsolutePath().normalize();
    for (int i = 0; i < args.size(); i++) {
      String value = null;
      if (args.get(i).startsWith(name + "=")) {
        value = args.get(i).substring(name.length() + 1);
      } else if (args.get(i).equals(name) && i + 1 < args.size()) {
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
