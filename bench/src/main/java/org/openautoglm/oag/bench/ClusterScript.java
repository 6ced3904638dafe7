package org.openautoglm.oag.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A script that runs a local cluster for the benchmarks, one process per member, and what
 * {@link LocalClusterControl} needs to know about it: where it is, how it counts members, how
 * its members are named, and how to tell a member's process from any other.
 *
 * <p>Both scripts share a layout: {@code SCRIPT start [COUNT_OPTION N] --data DIR} starts
 * the members that are not running; member {@code <prefix>K} keeps its pid in {@code
 * DIR/<prefix>K.pid} and its data in {@code DIR/<prefix>K}.
 */
public enum ClusterScript {
  /**
   * {@code deploy/local-cluster.sh}: coordinators c1..cN, each {@code oag coordinator --id cK
   * --data DIR/cK} (the JVM's arguments have the word {@code coordinator}).
   */
  COORDINATOR("deploy/local-cluster.sh", "--coordinators", 'c', "coordinator") {
    @Override
    String mismatch(String executable, List<String> args, String memberId, Path memberDataDir) {
      if (args.isEmpty()) {
        return "its arguments cannot be read";
      }
      if (!args.contains("coordinator")) {
        return "no 'coordinator' argument";
      }
      return MemberPid.missingOptions(args, "--id", memberId, "--data", memberDataDir);
    }
  },

  /**
   * {@code bench/etcd-cluster.sh}: etcd members e1..eN, each {@code etcd --name eK
   * --data-dir DIR/eK}.
   */
  ETCD("bench/etcd-cluster.sh", "--members", 'e', "etcd member") {
    @Override
    String mismatch(String executable, List<String> args, String memberId, Path memberDataDir) {
      if (executable == null || args.isEmpty()) {
        return "its executable or arguments cannot be read";
      }
      Path name = Path.of(executable).getFileName();
      if (name == null || !name.toString().equals("etcd")) {
        return "the executable is not etcd";
      }
      return MemberPid.missingOptions(args, "--name", memberId, "--data-dir", memberDataDir);
    }
  };

  private final String path;
  private final String countOption;
  private final char prefix;
  private final String what;

  ClusterScript(String path, String countOption, char prefix, String what) {
    this.path = path;
    this.countOption = countOption;
    this.prefix = prefix;
    this.what = what;
  }

  /** The script, relative to the repository root. */
  public String path() {
    return path;
  }

  /** The option of {@code start} that says how many members there are. */
  String countOption() {
    return countOption;
  }

  /** What a member is, for messages: "coordinator", "etcd member". */
  String what() {
    return what;
  }

  /** Whether the script starts a member of this id ({@code c1}..{@code c9}, ...). */
  boolean isMemberId(String id) {
    return id.length() == 2 && id.charAt(0) == prefix && id.charAt(1) >= '1'
        && id.charAt(1) <= '9';
  }

  /**
   * Why a process is not member {@code memberId}, or null when it is.
   *
   * @param executable the process's executable, null when unknown
   * @param args its arguments, without the executable
   * @param memberDataDir the member's data dir, or null to leave it unchecked
   */
  abstract String mismatch(String executable, List<String> args, String memberId,
      Path memberDataDir);

  /** The script under the first of {@code from} and its parents that has it; or null. */
  public Path find(Path from) {
    for (Path p = from.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      Path s = p.resolve(path);
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    return null;
  }
}
