package org.openautoglm.oag.agent.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.awaitOneChild;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.groupMembers;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.state;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;
import org.openautoglm.oag.agent.supervisor.RestartPolicy.Mode;

/** Real short processes; restart timing on a fake clock that only the test advances. */
class AllocationSupervisorTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ProcessLauncher launcher = new ProcessLauncher(ProcFs.host());
  private final List<AllocationSupervisor> supervisors = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (AllocationSupervisor s : supervisors) {
      s.stop(Duration.ZERO);
      s.step(clock.get());
    }
  }

  @Test
  void neverRestartsAFailedExit() throws IOException {
    AllocationSupervisor s = supervise("a-never", policy(Mode.NEVER, 5), "sh", "-c", "exit 3");
    assertThat(s.status().state()).isEqualTo(AllocationState.ASSIGNED);

    Status running = step(s);
    assertThat(running.state()).isIn(AllocationState.RUNNING, AllocationState.EXITED);
    assertThat(running.pid()).isPositive();

    Status done = awaitState(s, AllocationState.EXITED);
    assertThat(done.exitCode()).isEqualTo(3);
    assertThat(done.restarts()).isZero();
    assertThat(done.pid()).isEqualTo(running.pid());
  }

  @Test
  void onFailureRestartsAfterTheBackoffUntilTheBudgetIsSpent() throws IOException {
    AllocationSupervisor s = supervise("a-budget", policy(Mode.ON_FAILURE, 2), "sh", "-c", "exit 3");
    long first = step(s).pid();

    Status backoff = awaitState(s, AllocationState.BACKOFF);
    assertThat(backoff.exitCode()).isEqualTo(3);
    assertThat(backoff.restarts()).isZero();
    clock.addAndGet(BACKOFF.toNanos() - 1);
    assertThat(step(s).state()).isEqualTo(AllocationState.BACKOFF);

    clock.addAndGet(1);
    Status restarted = step(s);
    assertThat(restarted.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(restarted.pid()).isNotEqualTo(first);

    awaitState(s, AllocationState.BACKOFF);
    clock.addAndGet(BACKOFF.multipliedBy(2).toNanos());
    assertThat(step(s).restarts()).isEqualTo(2);

    Status failed = awaitState(s, AllocationState.FAILED);
    assertThat(failed.reason()).startsWith("restart budget exhausted");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.restarts()).isEqualTo(2);
  }

  @Test
  void alwaysRestartsACleanExit() throws IOException {
    AllocationSupervisor s = supervise("a-always", policy(Mode.ALWAYS, 5), "sh", "-c", "exit 0");
    step(s);

    assertThat(awaitState(s, AllocationState.BACKOFF).exitCode()).isZero();
    clock.addAndGet(BACKOFF.toNanos());
    Status restarted = step(s);
    assertThat(restarted.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(restarted.restarts()).isEqualTo(1);
  }

  @Test
  void neverAndOnFailureLeaveACleanExitDown() throws IOException {
    AllocationSupervisor never = supervise("a-never0", policy(Mode.NEVER, 5), "sh", "-c", "exit 0");
    AllocationSupervisor onFailure =
        supervise("a-onfail0", policy(Mode.ON_FAILURE, 5), "sh", "-c", "exit 0");
    step(never);
    step(onFailure);

    for (AllocationSupervisor s : List.of(never, onFailure)) {
      Status done = awaitState(s, AllocationState.EXITED);
      assertThat(done.exitCode()).isZero();
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      assertThat(step(s)).isEqualTo(done);
    }
  }

  @Test
  void pausesAndResumesTheGroupThenStopsItForGood() throws IOException {
    AllocationSupervisor s = supervise("a-pause", policy(Mode.ALWAYS, 5), "sleep", "60");
    long pgid = step(s).pid();
    long child = awaitOneChild(pgid);

    s.pause();
    assertThat(step(s).state()).isEqualTo(AllocationState.PAUSED);
    await().atMost(WITHIN).until(() -> state(child).equals(Optional.of('T')));

    s.run();
    assertThat(step(s).state()).isEqualTo(AllocationState.RUNNING);
    await().atMost(WITHIN).until(() -> state(child).filter(c -> c != 'T').isPresent());

    s.stop(Duration.ofSeconds(5));
    Status killed = step(s);
    assertThat(killed.state()).isEqualTo(AllocationState.KILLED);
    assertThat(killed.reason()).isEqualTo("stopped");
    assertThat(killed.exitCode()).isEqualTo(128 + 15);
    await().atMost(WITHIN).until(() -> groupMembers(pgid).isEmpty() && state(pgid).isEmpty());

    s.run();
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(step(s)).isEqualTo(killed);
  }

  @Test
  void restartsACommandKilledWithSigkillAfterTheBackoff() throws IOException {
    AllocationSupervisor s = supervise("a-kill9", policy(Mode.ON_FAILURE, 5), "sleep", "60");
    long pgid = step(s).pid();
    long child = awaitOneChild(pgid);

    kill9(child);

    Status backoff = awaitState(s, AllocationState.BACKOFF);
    assertThat(backoff.exitCode()).isEqualTo(128 + 9);
    assertThat(step(s).state()).isEqualTo(AllocationState.BACKOFF);
    clock.addAndGet(BACKOFF.toNanos());
    Status restarted = step(s);
    assertThat(restarted.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(restarted.pid()).isNotEqualTo(pgid);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(restarted.exitCode()).isEqualTo(128 + 9);
    assertThat(awaitOneChild(restarted.pid())).isNotEqualTo(child);
  }

  @Test
  void anExitWhilePausedIsDecidedAlikeAndItsRestartWaitsForRun() throws IOException {
    AllocationSupervisor s = supervise("a-paused-exit", policy(Mode.ON_FAILURE, 5), "sleep", "60");
    long pgid = step(s).pid();
    awaitOneChild(pgid);
    s.pause();
    assertThat(step(s).state()).isEqualTo(AllocationState.PAUSED);

    kill9("--", "-" + pgid);
    Status paused = await().pollInSameThread().atMost(WITHIN)
        .until(() -> step(s), st -> st.exitCode() != null);
    assertThat(paused.state()).isEqualTo(AllocationState.PAUSED);
    assertThat(paused.exitCode()).isEqualTo(128 + 9);
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(step(s).restarts()).isZero();

    s.run();
    Status restarted = step(s);
    assertThat(restarted.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(restarted.pid()).isNotEqualTo(pgid);
  }

  @Test
  void aStopBetweenRestartsNeverRelaunches() throws IOException {
    AllocationSupervisor s = supervise("a-stop-backoff", policy(Mode.ALWAYS, 5), "sh", "-c", "exit 1");
    step(s);
    awaitState(s, AllocationState.BACKOFF);

    s.stop(Duration.ofSeconds(5));
    clock.addAndGet(BACKOFF.toNanos());
    Status killed = step(s);

    assertThat(killed.state()).isEqualTo(AllocationState.KILLED);
    assertThat(killed.restarts()).isZero();
  }

  @Test
  void persistsTheAllocationBeforeLaunchingIt() throws IOException {
    AllocationSupervisor s = supervise("a-persist", policy(Mode.NEVER, 0), "sleep", "60");

    assertThat(AllocationDir.read(data, "a-persist")).isPresent();
    assertThat(AllocationDir.open(data, "a-persist").orElseThrow().pid()).isEmpty();
    assertThat(s.status().pid()).isEqualTo(-1);
  }

  private AllocationSupervisor supervise(String id, RestartPolicy policy, String... command)
      throws IOException {
    Allocation a = new Allocation(id, "task-" + id, 1, List.of(command), Map.of(), null);
    AllocationSupervisor s = AllocationSupervisor.start(data, a, policy, launcher);
    supervisors.add(s);
    return s;
  }

  /** Backoff 1 s doubling, nothing counts as stable, {@code budget} restarts per 10 min. */
  private static RestartPolicy policy(Mode mode, int budget) {
    return new RestartPolicy(mode, BACKOFF, Duration.ofSeconds(60), Duration.ofHours(1), budget,
        Duration.ofMinutes(10));
  }

  private Status step(AllocationSupervisor s) {
    return s.step(clock.get());
  }

  /** Steps (without moving the clock) until the real process has got it to {@code state}. */
  private Status awaitState(AllocationSupervisor s, AllocationState state) {
    // In this thread: the supervisor is stepped from one thread only.
    return await().pollInSameThread().atMost(WITHIN).until(() -> step(s), st -> st.state() == state);
  }

  private static void kill9(long pid) throws IOException {
    kill9(Long.toString(pid));
  }

  private static void kill9(String... target) throws IOException {
    List<String> argv = new ArrayList<>(List.of("kill", "-9"));
    argv.addAll(List.of(target));
    try {
      assertThat(new ProcessBuilder(argv).start().waitFor()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
