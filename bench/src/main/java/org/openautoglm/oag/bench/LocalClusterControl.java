package org.openautoglm.oag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The members of a cluster run by {@code deploy/local-cluster.sh start --data DIR}: member
 * {@code cK}'s pid is in {@code DIR/cK.pid} and its data in {@code DIR/cK}; {@code start}
 * starts only the members that are not running. The script's output is appended to
 * {@code DIR/bench-restart.log}.
 */
public final class LocalClusterControl implements MemberControl {
  /** The script, relative to the repository root. */
  public static final String SCRIPT = "deploy/local-cluster.sh";
  static final String RESTART_LOG = "bench-restart.log";

  private final Path dataDir;
  private final Path script;
  private final int members;
  private final Duration startTimeout;

  /**
   * @param dataDir the script's {@code --data}
   * @param script the script itself
   * @param members the script's {@code --coordinators}
   * @param startTimeout how long {@code start} may take before it is given up
   */
  public LocalClusterControl(Path dataDir, Path script, int members, Duration startTimeout) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.script = script.toAbsolutePath().normalize();
    this.members = members;
    this.startTimeout = startTimeout;
    if (!Files.isDirectory(this.dataDir)) {
      throw new BenchException("data dir " + this.dataDir + " does not exist; start the "
          + "cluster with " + SCRIPT + " start --data " + this.dataDir);
    }
    if (!Files.isExecutable(this.script)) {
      throw new BenchException(this.script + " is not an executable script");
    }
  }

  /** The script under the first of {@code from} and its parents that has it; or null. */
  public static Path findScript(Path from) {
    for (Path p = from.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      Path s = p.resolve(SCRIPT);
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public ProcessHandle verifiedProcess(String memberId) {
    if (!memberId.matches("c[1-9]")) {
      throw new BenchException("member id '" + memberId + "' is not one the script starts");
    }
    Path pidFile = dataDir.resolve(memberId + ".pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      throw new BenchException("cannot read the pid of " + memberId + " from " + pidFile
          + ": " + e.getMessage(), e);
    }
    return CoordinatorPid.verify(pid, memberId, dataDir.resolve(memberId));
  }

  @Override
  public void startStopped() {
    List<String> cmd = new ArrayList<>(List.of(script.toString(), "start",
        "--coordinators", Integer.toString(members), "--data", dataDir.toString()));
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
        throw new BenchException(SCRIPT + " start did not finish in "
            + startTimeout.toSeconds() + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new BenchException("interrupted while restarting members; see " + log, e);
    }
    if (p.exitValue() != 0) {
      throw new BenchException(SCRIPT + " start failed (exit " + p.exitValue() + "); see " + log);
    }
  }
}
