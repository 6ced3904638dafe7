package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberPidTest {
  @TempDir
  Path dir;

  /** What deploy/local-cluster.sh starts, after bin/oag exec'd java. */
  private static List<String> coordinator(String id, String data) {
    return List.of("java", "-Xms64m", "-Xmx512m", "-cp", "/repo/cli/target/oag/lib/*",
        "org.openautoglm.oag.cli.Main", "coordinator", "--id", id, "--peers",
        "c1=127.0.0.1:7080:7070,c2=127.0.0.1:7081:7071", "--api-port", "7070",
        "--data", data);
  }

  /** What bench/etcd-cluster.sh starts (the arguments after the executable). */
  private static List<String> etcd(String name, String data) {
    return List.of("--name", name, "--data-dir", data,
        "--listen-client-urls", "http://127.0.0.1:23791",
        "--advertise-client-urls", "http://127.0.0.1:23791",
        "--listen-peer-urls", "http://127.0.0.1:23801",
        "--initial-advertise-peer-urls", "http://127.0.0.1:23801",
        "--initial-cluster", "e1=http://127.0.0.1:23801,e2=http://127.0.0.1:23802",
        "--initial-cluster-state", "new", "--initial-cluster-token", "oag-bench");
  }

  private static String coordinatorMismatch(List<String> args, String id, Path dir) {
    return ClusterScript.COORDINATOR.mismatch("/usr/lib/jvm/bin/java", args, id, dir);
  }

  private static String etcdMismatch(String exe, List<String> args, String id, Path dir) {
    return ClusterScript.ETCD.mismatch(exe, args, id, dir);
  }

  @Test
  void theCoordinatorOfThatMemberAndDataDirMatches() {
    assertThat(coordinatorMismatch(coordinator("c1", "/d/c1"), "c1", Path.of("/d/c1"))).isNull();
    assertThat(coordinatorMismatch(coordinator("c1", "/d/./c1"), "c1", Path.of("/d/c1"))).isNull();
    assertThat(coordinatorMismatch(List.of("oag", "coordinator", "--id=c2"), "c2", null)).isNull();
  }

  @Test
  void anythingElseIsRefusedAsACoordinator() {
    assertThat(coordinatorMismatch(List.of(), "c1", null)).contains("cannot be read");
    assertThat(coordinatorMismatch(List.of("sleep", "--id", "c1"), "c1", null))
        .contains("'coordinator'");
    assertThat(coordinatorMismatch(coordinator("c2", "/d/c2"), "c1", Path.of("/d/c1")))
        .contains("--id c1");
    assertThat(coordinatorMismatch(coordinator("c10", "/d/c1"), "c1", Path.of("/d/c1")))
        .contains("--id c1");
    assertThat(coordinatorMismatch(coordinator("c1", "/other/c1"), "c1", Path.of("/d/c1")))
        .contains("--data");
    assertThat(coordinatorMismatch(List.of("coordinator", "--id"), "c1", null))
        .contains("--id c1");
  }

  @Test
  void theEtcdOfThatMemberAndDataDirMatches() {
    assertThat(etcdMismatch("/usr/bin/etcd", etcd("e1", "/d/e1"), "e1", Path.of("/d/e1")))
        .isNull();
    assertThat(etcdMismatch("/opt/etcd/etcd", etcd("e2", "/d/./e2"), "e2", Path.of("/d/e2")))
        .isNull();
    assertThat(etcdMismatch("/usr/bin/etcd", List.of("--name=e3", "--data-dir=/d/e3"), "e3",
        Path.of("/d/e3"))).isNull();
  }

  @Test
  void anythingElseIsRefusedAsAnEtcdMember() {
    assertThat(etcdMismatch(null, etcd("e1", "/d/e1"), "e1", null)).contains("cannot be read");
    assertThat(etcdMismatch("/usr/bin/etcd", List.of(), "e1", null)).contains("cannot be read");
    assertThat(etcdMismatch("/usr/bin/java", etcd("e1", "/d/e1"), "e1", null))
        .contains("not etcd");
    assertThat(etcdMismatch("/usr/bin/etcdctl", etcd("e1", "/d/e1"), "e1", null))
        .contains("not etcd");
    assertThat(etcdMismatch("/usr/bin/etcd", etcd("e2", "/d/e2"), "e1", Path.of("/d/e1")))
        .contains("--name e1");
    assertThat(etcdMismatch("/usr/bin/etcd", etcd("e1", "/other/e1"), "e1", Path.of("/d/e1")))
        .contains("--data-dir");
    assertThat(etcdMismatch("/usr/bin/etcd", List.of("--name", "e1", "--data", "/d/e1"), "e1",
        Path.of("/d/e1"))).contains("--data-dir");
    // A coordinator is never an etcd member, even one named like it.
    assertThat(etcdMismatch("/usr/bin/java", coordinator("e1", "/d/e1"), "e1", null))
        .contains("not etcd");
  }

  @Test
  void eachScriptKnowsItsMemberIds() {
    assertThat(ClusterScript.COORDINATOR.isMemberId("c1")).isTrue();
    assertThat(ClusterScript.COORDINATOR.isMemberId("e1")).isFalse();
    assertThat(ClusterScript.ETCD.isMemberId("e9")).isTrue();
    assertThat(ClusterScript.ETCD.isMemberId("e0")).isFalse();
    assertThat(ClusterScript.ETCD.isMemberId("e10")).isFalse();
    assertThat(ClusterScript.ETCD.isMemberId("../e1")).isFalse();
  }

  @Test
  void aLiveProcessThatIsNotTheMemberIsRefusedAndLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertThatThrownBy(() -> MemberPid.verify(ClusterScript.COORDINATOR, sleeper.pid(), "c1",
          dir.resolve("c1")))
          .isInstanceOf(BenchException.class)
          .hasMessageContaining("pid " + sleeper.pid() + " is not coordinator c1")
          .hasMessageContaining("sleep")
          .hasMessageContaining("refusing to kill it");
      assertThatThrownBy(() -> MemberPid.verify(ClusterScript.ETCD, sleeper.pid(), "e1", null))
          .isInstanceOf(BenchException.class)
          .hasMessageContaining("is not etcd member e1 (the executable is not etcd");
      assertThat(sleeper.isAlive()).isTrue();
      assertThatThrownBy(() -> MemberPid.verify(ClusterScript.COORDINATOR,
          ProcessHandle.current().pid(), "c1", null)).isInstanceOf(BenchException.class);
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> MemberPid.verify(ClusterScript.ETCD, sleeper.pid(), "e1", null))
        .isInstanceOf(BenchException.class).hasMessageContaining("not running");
  }

  @Test
  void aPidFileNamingAnotherProcessIsRefusedByTheLocalCluster() throws Exception {
    Path script = standIn("repo/deploy/local-cluster.sh");
    Path data = Files.createDirectories(dir.resolve("data"));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(data.resolve("c2.pid"), sleeper.pid() + "\n");
      LocalClusterControl control = new LocalClusterControl(ClusterScript.COORDINATOR, data,
          script, 3, Duration.ofSeconds(10));

      assertThatThrownBy(() -> control.verifiedProcess("c2"))
          .isInstanceOf(BenchException.class).hasMessageContaining("refusing to kill it");
      assertThatThrownBy(() -> control.verifiedProcess("c3"))
          .isInstanceOf(BenchException.class).hasMessageContaining("c3.pid");
      assertThatThrownBy(() -> control.verifiedProcess("../x"))
          .isInstanceOf(BenchException.class);
      assertThat(sleeper.isAlive()).isTrue();
      assertThat(ClusterScript.COORDINATOR.find(dir.resolve("repo/deploy"))).isEqualTo(script);
      control.startStopped(); // the stand-in script exits 0
      assertThat(Files.readString(dir.resolve("repo/args")).strip())
          .isEqualTo("start --coordinators 3 --data " + data);
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theEtcdClusterIsControlledThroughItsOwnScript() throws Exception {
    Path script = standIn("repo/bench/etcd-cluster.sh");
    Path data = Files.createDirectories(dir.resolve("etcd-data"));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(data.resolve("e1.pid"), sleeper.pid() + "\n");
      LocalClusterControl control = new LocalClusterControl(ClusterScript.ETCD, data, script, 3,
          Duration.ofSeconds(10));

      assertThatThrownBy(() -> control.verifiedProcess("e1"))
          .isInstanceOf(BenchException.class).hasMessageContaining("is not etcd member e1");
      assertThatThrownBy(() -> control.verifiedProcess("c1"))
          .isInstanceOf(BenchException.class).hasMessageContaining("bench/etcd-cluster.sh");
      assertThat(sleeper.isAlive()).isTrue();
      assertThat(ClusterScript.ETCD.find(dir.resolve("repo/bench/x"))).isEqualTo(script);
      control.startStopped();
      assertThat(Files.readString(dir.resolve("repo/args")).strip())
          .isEqualTo("start --members 3 --data " + data);
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> new LocalClusterControl(ClusterScript.ETCD, dir.resolve("none"),
        script, 3, Duration.ofSeconds(10)))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("bench/etcd-cluster.sh start --data");
  }

  /** An executable script at {@code relative} that writes its arguments to repo/args. */
  private Path standIn(String relative) throws Exception {
    Path script = dir.resolve(relative);
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\necho \"$@\" > \"" + dir.resolve("repo/args") + "\"\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    return script;
  }
}
