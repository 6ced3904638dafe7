package org.openautoglm.oag.agent.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.awaitOneChild;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.groupMembers;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;

class ProcessLauncherTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);

  @TempDir Path data;
  private final ProcessLauncher launcher = new ProcessLauncher(ProcFs.host());
  private final List<LaunchedProcess> launched = new ArrayList<>();

  @AfterEach
  void killGroups() throws IOException {
    for (LaunchedProcess p : launched) {
      p.stop(Duration.ZERO);
    }
  }

  @Test
  void recordsTheExitStatusAndAppendsOutputToFiles() throws IOException {
    LaunchedProcess exit3 = launch("a-exit", "sh", "-c", "exit 3");
    LaunchedProcess hello = launch("a-echo", "echo", "hello");

    await().atMost(WITHIN).until(() -> exit3.exitStatus().isPresent() && hello.exitStatus().isPresent());
    assertThat(exit3.exitStatus()).contains(3);
    assertThat(hello.exitStatus()).contains(0);
    assertThat(Files.readString(hello.dir().stdoutFile())).isEqualTo("hello\n");
    assertThat(Files.readString(hello.dir().stderrFile())).isEmpty();
    assertThat(Files.exists(hello.dir().path().resolve("exit.tmp"))).isFalse();
    await().atMost(WITHIN).until(() -> !exit3.alive() && !hello.alive());
  }

  @Test
  void givesTheCommandItsIdentityInTheEnvironment() throws IOException {
    Allocation a = new Allocation("a-env", "task-7", 4,
        List.of("sh", "-c", "echo $OAG_TASK_ID $OAG_ALLOC_ID $OAG_ALLOC_GENERATION $EXTRA"),
        Map.of("EXTRA", "x=1", "OAG_TASK_ID", "forged"), null);
    LaunchedProcess p = launch(a);

    await().atMost(WITHIN).until(() -> p.exitStatus().isPresent());
    assertThat(Files.readString(p.dir().stdoutFile())).isEqualTo("task-7 a-env 4 x=1\n");
  }

  @Test
  void passesArgumentsVerbatimWithoutShellExpansion() throws IOException {
    String tricky = "two words 'single' \"double\" $HOME `id` $(id); exit 9";
    LaunchedProcess p = launch("a-args", "printf", "%s|", tricky, "");

    await().atMost(WITHIN).until(() -> p.exitStatus().isPresent());
    assertThat(p.exitStatus()).contains(0);
    assertThat(Files.readString(p.dir().stdoutFile())).isEqualTo(tricky + "||");
  }

  @Test
  void runsInTheAllocationFolderOrTheGivenWorkingDir() throws IOException {
    LaunchedProcess own = launch("a-pwd", "pwd");
    Path elsewhere = data.resolve("work dir");
    LaunchedProcess given = launch(new Allocation("a-pwd2", "t", 1, List.of("pwd"), Map.of(),
        elsewhere.toString()));

    await().atMost(WITHIN).until(() -> own.exitStatus().isPresent() && given.exitStatus().isPresent());
    assertThat(Files.readString(own.dir().stdoutFile()).trim())
        .isEqualTo(own.dir().path().toRealPath().toString());
    assertThat(Files.readString(given.dir().stdoutFile()).trim())
        .isEqualTo(elsewhere.toRealPath().toString());
  }

  @Test
  void pausesResumesAndStopsTheWholeGroup() throws IOException {
    LaunchedProcess p = launch("a-sleep", "sleep", "60");
    long sleep = awaitOneChild(p.pgid());

    p.pause();
    await().atMost(WITHIN).until(() -> state(sleep).equals(Optional.of('T')));
    assertThat(state(p.pgid())).contains('T');

    p.resume();
    await().atMost(WITHIN).until(() -> state(sleep).filter(s -> s != 'T').isPresent());

    p.stop(Duration.ofSeconds(5));
    assertThat(p.alive()).isFalse();
    assertThat(groupMembers(p.pgid())).isEmpty();
    assertThat(p.exitStatus()).contains(128 + 15);
  }

  @Test
  void stopsAPausedGroup() throws IOException {
    LaunchedProcess p = launch("a-paused", "sleep", "60");
    awaitOneChild(p.pgid());
    p.pause();
    await().atMost(WITHIN).until(() -> state(p.pgid()).equals(Optional.of('T')));

    p.stop(Duration.ofSeconds(5));

    assertThat(groupMembers(p.pgid())).isEmpty();
    assertThat(p.exitStatus()).contains(128 + 15);
  }

  @Test
  void killsAGroupThatIgnoresTermAfterTheGracePeriod() throws IOException {
    LaunchedProcess p = launch("a-stubborn", "sh", "-c", "trap '' TERM; while :; do sleep 1; done");
    awaitOneChild(p.pgid());

    p.stop(Duration.ofSeconds(1));

    assertThat(p.alive()).isFalse();
    await().atMost(WITHIN).until(() -> groupMembers(p.pgid()).isEmpty());
    assertThat(p.exitStatus()).satisfiesAnyOf(
        s -> assertThat(s).isEmpty(), s -> assertThat(s).contains(128 + 9));
  }

  @Test
  void aStopRightAfterLaunchStillRecordsTheStatus() throws IOException {
    LaunchedProcess p = launch("a-quick-stop", "sleep", "60");

    p.stop(Duration.ofSeconds(5));

    assertThat(p.alive()).isFalse();
    assertThat(p.exitStatus()).isPresent();
  }

  @Test
  void persistsTheAllocationBeforeStartingIt() throws IOException {
    Allocation a = new Allocation("a-record", "task-1", 2, List.of("sleep", "60", "a b"),
        Map.of("K", "v=1 # not a comment"), "sub dir");

    AllocationDir dir = AllocationDir.create(data, a);

    assertThat(AllocationDir.read(data, "a-record")).contains(a);
    assertThat(dir.pid()).isEmpty();
    assertThat(dir.exitStatus()).isEmpty();
    assertThat(AllocationDir.read(data, "never-created")).isEmpty();
  }

  @Test
  void aNewLauncherReattachesToTheSameProcessFromThePidFile() throws IOException {
    LaunchedProcess first = launch("a-adopt", "sleep", "60");

    AllocationDir reopened = AllocationDir.open(data, "a-adopt").orElseThrow();
    LaunchedProcess adopted = new ProcessLauncher(ProcFs.host()).reattach(reopened).orElseThrow();

    assertThat(reopened.allocation()).isEqualTo(first.dir().allocation());
    assertThat(adopted.pgid()).isEqualTo(first.pgid());
    assertThat(adopted.startTicks()).isEqualTo(first.startTicks()).isPositive();
    assertThat(adopted.alive()).isTrue();

    adopted.stop(Duration.ofSeconds(5));
    assertThat(first.alive()).isFalse();
    assertThat(adopted.exitStatus()).contains(128 + 15);
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNeitherAliveNorSignalled() throws IOException {
    LaunchedProcess real = launch("a-real", "sleep", "60");
    long sleep = awaitOneChild(real.pgid());
    AllocationDir stale = AllocationDir.create(data, allocation("a-stale", "sleep", "60"));
    stale.writePid(new AllocationDir.PidRecord(real.pgid(), real.startTicks() + 1));

    LaunchedProcess impostor = launcher.reattach(stale).orElseThrow();
    impostor.pause();
    impostor.stop(Duration.ZERO);

    assertThat(impostor.alive()).isFalse();
    assertThat(real.alive()).isTrue();
    assertThat(state(sleep)).hasValueSatisfying(s -> assertThat(s).isNotEqualTo('T'));
  }

  @Test
  void relaunchingForgetsTheEarlierExitStatus() throws IOException {
    AllocationDir dir = AllocationDir.create(data, allocation("a-again", "sh", "-c", "exit 5"));
    LaunchedProcess once = track(launcher.launch(dir));
    await().atMost(WITHIN).until(() -> once.exitStatus().isPresent());

    LaunchedProcess again = track(launcher.launch(
        AllocationDir.create(data, allocation("a-again", "sleep", "60"))));

    assertThat(again.exitStatus()).isEmpty();
    assertThat(again.alive()).isTrue();
  }

  private LaunchedProcess launch(String id, String... command) throws IOException {
    return launch(allocation(id, command));
  }

  private LaunchedProcess launch(Allocation a) throws IOException {
    return track(launcher.launch(AllocationDir.create(data, a)));
  }

  private LaunchedProcess track(LaunchedProcess p) {
    launched.add(p);
    return p;
  }

  private static Allocation allocation(String id, String... command) {
    return new Allocation(id, "task-" + id, 1, List.of(command), Map.of(), null);
  }
}
