package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorPidTest {
  @TempDir
  Path dir;

  /** What deploy/local-cluster.sh starts, after bin/oag exec'd java. */
  private static List<String> coordinator(String id, String data) {
    return List.of("java", "-Xms64m", "-Xmx512m", "-cp", "/repo/cli/target/oag/lib/*",
        "org.openautoglm.oag.cli.Main", "coordinator", "--id", id, "--peers",
        "c1=127.0.0.1:7080:7070,c2=127.0.0.1:7081:7071", "--api-port", "7070",
        "--data", data);
  }

  @Test
  void theCoordinatorOfThatMemberAndDataDirMatches() {
    assertThat(CoordinatorPid.mismatch(coordinator("c1", "/d/c1"), "c1", Path.of("/d/c1")))
        .isNull();
    assertThat(CoordinatorPid.mismatch(coordinator("c1", "/d/./c1"), "c1", Path.of("/d/c1")))
        .isNull();
    assertThat(CoordinatorPid.mismatch(List.of("oag", "coordinator", "--id=c2"), "c2", null))
        .isNull();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(CoordinatorPid.mismatch(List.of(), "c1", null)).contains("cannot be read");
    assertThat(CoordinatorPid.mismatch(List.of("sleep", "--id", "c1"), "c1", null))
        .contains("'coordinator'");
    assertThat(CoordinatorPid.mismatch(coordinator("c2", "/d/c2"), "c1", Path.of("/d/c1")))
        .contains("--id c1");
    assertThat(CoordinatorPid.mismatch(coordinator("c10", "/d/c1"), "c1", Path.of("/d/c1")))
        .contains("--id c1");
    assertThat(CoordinatorPid.mismatch(coordinator("c1", "/other/c1"), "c1", Path.of("/d/c1")))
        .contains("--data");
    assertThat(CoordinatorPid.mismatch(List.of("coordinator", "--id"), "c1", null))
        .contains("--id c1");
  }

  @Test
  void aLiveProcessThatIsNotTheCoordinatorIsRefusedAndLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertThatThrownBy(() -> CoordinatorPid.verify(sleeper.pid(), "c1", dir.resolve("c1")))
          .isInstanceOf(BenchException.class)
          .hasMessageContaining("pid " + sleeper.pid() + " is not coordinator c1")
          .hasMessageContaining("sleep")
          .hasMessageContaining("refusing to kill it");
      assertThat(sleeper.isAlive()).isTrue();
      assertThatThrownBy(() -> CoordinatorPid.verify(ProcessHandle.current().pid(), "c1", null))
          .isInstanceOf(BenchException.class);
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> CoordinatorPid.verify(sleeper.pid(), "c1", null))
        .isInstanceOf(BenchException.class).hasMessageContaining("not running");
  }

  @Test
  void aPidFileNamingAnotherProcessIsRefusedByTheLocalCluster() throws Exception {
    Path script = Files.createDirectories(dir.resolve("repo/deploy")).resolve("local-cluster.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    Path data = Files.createDirectories(dir.resolve("data"));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(data.resolve("c2.pid"), sleeper.pid() + "\n");
      LocalClusterControl control = new LocalClusterControl(data, script, 3,
          java.time.Duration.ofSeconds(10));

      assertThatThrownBy(() -> control.verifiedProcess("c2"))
          .isInstanceOf(BenchException.class).hasMessageContaining("refusing to kill it");
      assertThatThrownBy(() -> control.verifiedProcess("c3"))
          .isInstanceOf(BenchException.class).hasMessageContaining("c3.pid");
      assertThatThrownBy(() -> control.verifiedProcess("../x"))
          .isInstanceOf(BenchException.class);
      assertThat(sleeper.isAlive()).isTrue();
      assertThat(LocalClusterControl.findScript(dir.resolve("repo/deploy"))).isEqualTo(script);
      control.startStopped(); // the stand-in script exits 0
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
