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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;
import org.openautoglm.oag.agent.supervisor.RestartPolicy.Mode;

/**
 * A restarted agent: a second supervisor over the same folder, as {@code adopt} builds it,
 * while the first one's processes run on (or ended) without it.
 */
class AdoptionTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final ProcFs PROC = ProcFs.host();

  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ProcessLauncher launcher = new ProcessLauncher(PROC);
  private final List<Process> strangers = new ArrayList<>();

  /**
   * Kills every group a supervisor launched here, whoever supervises it by now: by group while
   * its recorded leader lives, else the members left, one by one (a reused pid is not ours).
   */
  @AfterEach
  void endProcesses() throws Exception {
    for (AllocationDir dir : AllocationDir.list(data)) {
      Optional<AllocationDir.PidRecord> r = dir.pid();
      if (r.isEmpty()) {
        continue;
      }
      long pgid = r.get().pid();
      boolean leader = PROC.stat(pgid).map(st -> st.startTicks() == r.get().startTicks()).orElse(false);
      List<String> targets = leader ? List.of("-" + pgid)
          : groupMembers(pgid).stream().map(String::valueOf).toList();
      for (String target : targets) {
        new ProcessBuilder("kill", "-KILL", "--", target).start().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Process p : strangers) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void adoptsARunningGroupWithTheSamePidAndStartsNoSecondInstance() throws IOException {
    AllocationSupervisor before = start("a-run", Mode.ALWAYS, "sleep", "60");
    long pgid = before.step(clock.get()).pid();
    long child = awaitOneChild(pgid);

    AllocationSupervisor after = adopt("a-run");
    assertThat(after.status().state()).isEqualTo(AllocationState.RUNNING);
    assertThat(after.status().pid()).isEqualTo(pgid);
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(after.step(clock.get()).state()).isEqualTo(AllocationState.RUNNING);

    assertThat(groupMembers(pgid)).containsExactly(child);
    assertThat(Orphans.find(PROC).get("a-run")).extracting(Orphans.Orphan::pgid).containsOnly(pgid);
    assertThat(Orphans.find(PROC, Set.of(pgid))).doesNotContainKey("a-run");

    after.stop(Duration.ofSeconds(5));
    assertThat(after.step(clock.get()).state()).isEqualTo(AllocationState.KILLED);
    await().atMost(WITHIN).until(() -> groupMembers(pgid).isEmpty());
  }

  @Test
  void adoptsAStoppedGroupPausedAndLeavesItStoppedUntilRun() throws IOException {
    AllocationSupervisor before = start("a-paused", Mode.ALWAYS, "sleep", "60");
    long pgid = before.step(clock.get()).pid();
    long child = awaitOneChild(pgid);
    before.pause();
    assertThat(before.step(clock.get()).state()).isEqualTo(AllocationState.PAUSED);
    await().atMost(WITHIN).until(() -> state(child).equals(Optional.of('T')));

    AllocationSupervisor after = adopt("a-paused");
    assertThat(after.status().state()).isEqualTo(AllocationState.PAUSED);
    assertThat(after.step(clock.get()).state()).isEqualTo(AllocationState.PAUSED);
    assertThat(state(child)).contains('T');

    after.run();
    assertThat(after.step(clock.get()).state()).isEqualTo(AllocationState.RUNNING);
    await().atMost(WITHIN).until(() -> state(child).filter(c -> c != 'T').isPresent());
  }

  @Test
  void reportsTheRealExitCodeOfAProcessThatEndedWhileNobodyWatched() throws IOException {
    AllocationSupervisor before = start("a-gone", Mode.NEVER, "sh", "-c", "exit 7");
    before.step(clock.get());
    AllocationDir dir = before.dir();
    await().atMost(WITHIN).until(() -> dir.exitStatus().isPresent());

    AllocationSupervisor after = adopt("a-gone");
    Status s = after.status();
    assertThat(s.state()).isEqualTo(AllocationState.EXITED);
    assertThat(s.exitCode()).isEqualTo(7);
    assertThat(after.step(clock.get())).isEqualTo(s);
  }

  @Test
  void neverAdoptsAReusedPid() throws IOException {
    Process stranger = new ProcessBuilder("sleep", "60").start();
    strangers.add(stranger);
    long ticks = PROC.stat(stranger.pid()).orElseThrow().startTicks();
    AllocationDir dir = AllocationDir.create(data, allocation("a-reused", "sleep", "60"));
    SupervisorRecord.writeSupervision(dir, policy(Mode.NEVER), Thresholds.NONE);
    dir.writePid(new AllocationDir.PidRecord(stranger.pid(), ticks + 1));

    AllocationSupervisor after = adopt("a-reused");
    assertThat(after.status().state()).isEqualTo(AllocationState.EXITED);
    assertThat(after.status().exitCode()).isEqualTo(AllocationSupervisor.SIGKILLED);
    after.stop(Duration.ZERO);
    after.step(clock.get());
    assertThat(stranger.isAlive()).isTrue();
  }

  @Test
  void anAllocationThatEndedStaysEndedWithItsRestartCount() throws IOException {
    AllocationSupervisor before = start("a-ended", Mode.ALWAYS, "sh", "-c", "exit 1");
    before.step(clock.get());
    await().pollInSameThread().atMost(WITHIN)
        .until(() -> before.step(clock.get()).state() == AllocationState.BACKOFF);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(before.step(clock.get()).restarts()).isEqualTo(1);
    before.stop(Duration.ofSeconds(5));
    Status killed = before.step(clock.get());

    AllocationSupervisor after = adopt("a-ended");
    assertThat(after.status()).isEqualTo(killed);
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(after.step(clock.get())).isEqualTo(killed);
  }

  @Test
  void findsTheOrphansOfAGroupWhoseLeaderWasKilledAndAdoptionKillsThem() throws Exception {
    AllocationSupervisor before = start("a-orphan", Mode.NEVER, "sleep", "60");
    long pgid = before.step(clock.get()).pid();
    long child = awaitOneChild(pgid);
    assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pgid)).start().waitFor()).isZero();
    await().atMost(WITHIN).until(() -> state(pgid).filter(c -> c != 'Z').isEmpty());
    assertThat(Orphans.find(PROC, Set.of()).get("a-orphan"))
        .containsExactly(new Orphans.Orphan(child, pgid, PROC.stat(child).orElseThrow().startTicks()));

    AllocationSupervisor after = adopt("a-orphan");
    assertThat(after.status().state()).isEqualTo(AllocationState.EXITED);
    // A run whose wrapper is gone leaves no straggler beside whatever runs next.
    await().atMost(WITHIN).until(() -> state(child).filter(c -> c != 'Z').isEmpty());
    assertThat(Orphans.find(PROC, Set.of())).doesNotContainKey("a-orphan");
  }

  private AllocationSupervisor start(String id, Mode mode, String... command) throws IOException {
    AllocationSupervisor s = AllocationSupervisor.start(data, allocation(id, command),
        policy(mode), Thresholds.NONE, launcher, SupervisorOptions.defaults());
    return s;
  }

  private AllocationSupervisor adopt(String id) throws IOException {
    AllocationDir dir = AllocationDir.list(data).stream()
        .filter(d -> d.allocation().allocationId().equals(id)).findFirst().orElseThrow();
    return AllocationSupervisor.adopt(dir, launcher, SupervisorOptions.defaults(), clock.get());
  }

  private static Allocation allocation(String id, String... command) {
    return new Allocation(id, "task-" + id, 1, List.of(command), Map.of(), null);
  }

  private static RestartPolicy policy(Mode mode) {
    return new RestartPolicy(mode, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofHours(1), 5, Duration.ofMinutes(10));
  }
}
