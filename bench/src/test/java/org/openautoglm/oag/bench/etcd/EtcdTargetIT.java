package org.openautoglm.oag.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.bench.BenchException;
import org.openautoglm.oag.bench.ClusterHealth;
import org.openautoglm.oag.bench.ClusterScript;
import org.openautoglm.oag.bench.FailoverConfig;
import org.openautoglm.oag.bench.FailoverProbe;
import org.openautoglm.oag.bench.FailoverReport;
import org.openautoglm.oag.bench.LoadConfig;
import org.openautoglm.oag.bench.LocalClusterControl;
import org.openautoglm.oag.bench.MemberControl;
import org.openautoglm.oag.bench.OagTarget;
import org.openautoglm.oag.bench.SubmitLoad;
import org.openautoglm.oag.bench.SubmitReport;
import org.openautoglm.oag.bench.compare.Comparison;
import org.openautoglm.oag.bench.compare.ComparisonConfig;
import org.openautoglm.oag.bench.compare.ComparisonReport;
import org.openautoglm.oag.bench.compare.ResultsText;
import org.openautoglm.oag.bench.etcd.v3.MaintenanceGrpc;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.coordinator.MiniCluster;
import org.openautoglm.oag.bench.etcd.v3.StatusRequest;

/**
 * The load generator, the failover probe and the side-by-side comparison (with an in-process
 * coordinator cluster) against a real three-member etcd started by
 * {@code bench/etcd-cluster.sh} in a temp dir, on the script's ports (clients 23791-23793,
 * peers 23801-23803). Skipped only when etcd is not installed ({@code .ci/run} installs
 * Debian's etcd-server).
 */
class EtcdTargetIT {
  private static final int N = 3;

  @TempDir
  static Path data;
  private static Path script;
  private static boolean started;
  private static EtcdTarget target;

  @BeforeAll
  static void startEtcd() throws Exception {
    assumeTrue(etcdInstalled(), "etcd is not installed (apt-get install etcd-server); "
        + "EtcdTargetIT needs it");
    script = ClusterScript.ETCD.find(Path.of(""));
    assertThat(script).as("bench/etcd-cluster.sh above %s", Path.of("").toAbsolutePath())
        .isNotNull();
    started = true;
    assertThat(script("start")).as("etcd-cluster.sh start; see %s", data).isZero();
    target = new EtcdTarget(EtcdConfig.builder(EtcdConfig.SCRIPT_ENDPOINTS)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (target != null) {
      target.close();
    }
    if (started) {
      script("stop");
    }
  }

  @Test
  void aClosedLoopRunWritesEveryAcknowledgedPut() {
    long revisionBefore = revision();
    LoadConfig config = LoadConfig.builder(4, Duration.ofSeconds(2))
        .warmup(Duration.ofMillis(500)).build();

    SubmitReport r = new SubmitLoad(target, config).run();

    assertThat(r.measured().ops()).isPositive();
    assertThat(r.measured().errors()).as("errors %s", r.measured().errorsByType()).isZero();
    assertThat(r.abandoned()).isZero();
    assertThat(r.latency().p50Ms()).isPositive().isLessThanOrEqualTo(r.latency().p99Ms());
    assertThat(r.leadership().leaderBefore()).matches("e[1-3]");
    assertThat(r.leadership().termBefore()).isPositive();
    // Every acknowledged write is one Put, and each Put is one revision.
    assertThat(revision() - revisionBefore)
        .isGreaterThanOrEqualTo(r.warmup().ops() + r.measured().ops());
  }

  @Test
  void healthShowsEveryMemberByNameAndALeader() {
    ClusterHealth h = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(target::health, x -> x.settled(N, 50));

    assertThat(h.leader()).matches("e[1-3]");
    assertThat(h.members()).extracting(ClusterHealth.Member::id)
        .containsExactly("e1", "e2", "e3");
    assertThat(h.term()).isPositive();
  }

  @Test
  void aLeaderKillIsMeasuredAndTheMemberRestartedByTheScript() {
    LocalClusterControl control = new LocalClusterControl(ClusterScript.ETCD, data, script, N,
        Duration.ofSeconds(60));
    String leader = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(target::health, ClusterHealth::hasLeader).leader();
    assertThat(control.verifiedProcess(leader).pid())
        .isEqualTo(Long.parseLong(read(data.resolve(leader + ".pid"))));

    FailoverReport r = new FailoverProbe(target, control,
        FailoverConfig.builder().rounds(1).writers(2).build(), line -> { }).run();

    assertThat(r.error()).isNull();
    assertThat(r.rounds()).hasSize(1);
    assertThat(r.rounds().get(0).gapMs()).isPositive();
    assertThat(r.rounds().get(0).newLeader()).matches("e[1-3]")
        .isNotEqualTo(r.rounds().get(0).killed());
    assertThat(target.health().settled(N, 50)).isTrue();
  }

  @Test
  void aSideBySideComparisonWithACoordinatorClusterWritesItsResults(@TempDir Path out)
      throws IOException {
    Path results = out.resolve("RESULTS.md");
    ComparisonConfig config = ComparisonConfig.builder().levels(List.of(1, 4)).rounds(1)
        .duration(Duration.ofSeconds(1)).runWarmup(Duration.ofMillis(200))
        .initialWarmup(Duration.ofSeconds(1)).warmupStep(Duration.ofSeconds(1))
        .failoverRounds(0).maxForeignCores(8).build();
    try (MiniCluster cluster = MiniCluster.start(out.resolve("oag"), 3);
        OagTarget oag = new OagTarget(ClientConfig.builder(cluster.addresses()).build())) {
      cluster.awaitLeader();
      MemberControl inProcess = new MemberControl() {
        @Override
        public ProcessHandle verifiedProcess(String memberId) {
          throw new BenchException("in-process member " + memberId);
        }

        @Override
        public void startStopped() {}
      };
      LocalClusterControl etcd = new LocalClusterControl(ClusterScript.ETCD, data, script, N,
          Duration.ofSeconds(60));

      ComparisonReport r = new Comparison(new Comparison.Subject("oag", oag, inProcess),
          new Comparison.Subject("etcd", target, etcd), config, line -> { }).run();
      ResultsText.write(results, r, "test", List.of());

      assertThat(r.levels()).extracting(ComparisonReport.Level::clients).containsExactly(1, 4);
      for (ComparisonReport.Level l : r.levels()) {
        assertThat(l.throughput(true)).as("oag at %d clients", l.clients()).isPositive();
        assertThat(l.throughput(false)).as("etcd at %d clients", l.clients()).isPositive();
        assertThat(l.errors(true) + l.errors(false)).isZero();
      }
      assertThat(r.warmups().get("oag")).hasSize(1);
      assertThat(r.commandLines().get("etcd")).contains("etcd", "--name");
      assertThat(Files.readString(results)).contains("| 4 | 1 | etcd |", "OAG W/S");
    }
  }

  private static long revision() {
    ManagedChannel c = EtcdConfig.plaintextChannel("127.0.0.1:23791");
    try {
      return MaintenanceGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()).getHeader().getRevision();
    } finally {
      c.shutdownNow();
    }
  }

  private static boolean etcdInstalled() {
    if (Files.isExecutable(Path.of("/usr/bin/etcd"))) {
      return true;
    }
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "etcd")));
  }

  private static int script(String action) throws IOException, InterruptedException {
    File log = data.resolve("etcd-cluster-" + action + ".out").toFile();
    Process p = new ProcessBuilder(script.toString(), action, "--members", Integer.toString(N),
        "--data", data.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(log.toPath()));
    }
    return p.exitValue();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
