package org.openautoglm.oag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The members of a cluster run by a {@link ClusterScript} ({@code deploy/local-cluster.sh}
 * for coordinators, {@code bench/etcd-cluster.sh} for etcd) with {@code start --data DIR}:
 * member {@code <id>}'s pid is in {@code DIR/<id>.pid} and its data in {@code DIR/<id>};
 * {@code start} starts only the members that are not running. A pid is trusted only after
 * {@link MemberPid} has checked its command line. The script's output is appended to
 * {@code DIR/bench-restart.log}.
 */
public final class LocalClusterControl implements MemberControl {
  static final String RESTART_LOG = "bench-restart.log";

  private final ClusterScript kind;
  private final Path dataDir;
  private final Path script;
  private final int members;
  private final Duration startTimeout;

  /**
   * @param kind which script, and so which members
   * @param dataDir the script's {@code --data}
   * @param script the script itself
   * @param members how many members the script runs ({@code --coordinators} or
   *     {@code --members})
   * @param startTimeout how long {@code start} may take before it is given up
   */
  public LocalClusterControl(ClusterScript kind, Path dataDir, Path script, int members,
      Duration startTimeout) {
    this.kind = kind;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.script = script.toAbsolutePath().normalize();
    this.members = members;
    this.startTimeout = startTimeout;
    if (!Files.isDirectory(this.dataDir)) {
      throw new BenchException("data dir " + this.dataDir + " does not exist; start the "
          + "cluster with " + kind.path() + " start --data " + this.dataDir);
    }
    if (!Files.isExecutable(this.script)) {
      throw new BenchException(this.script + " is not an executable script");
    }
  }

  @Override
  public ProcessHandle verifiedProcess(String memberId) {
    if (!kind.isMemberId(memberId)) {
      throw new BenchException("member id '" + memberId + "' is not one " + kind.path()
          + " starts");
    }
    Path pidFile = dataDir.resolve(memberId + ".pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      throw new BenchException("cannot read the pid of " + memberId + " from " + pidFile
          + ": " + e.getMessage(), e);
    }
    return MemberPid.verify(kind, pid, memberId, dataDir.resolve(memberId));
  }

  @Override
  public void startStopped() {
    List<String> cmd = List.of(script.toString(), "start", kind.countOption(),
        Integer.toString(members), "--data", dataDir.toString());
    Path log = dataDir.resolve(RESTART_LOG);
    Process p;
    try {
      p = new ProcessBuilder(cmd)
          .directory(script.getParent().getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new BenchException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // the script we started, not what it started
        throw new BenchException(kind.path() + " start did not finish in "
            + startTimeout.toSeconds() + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new BenchException("interrupted while restarting members; see " + log, e);
    }
    if (p.exitValue() != 0) {
      throw new BenchException(kind.path() + " start failed (exit " + p.exitValue() + "); see "
          + log);
    }
  }
}
