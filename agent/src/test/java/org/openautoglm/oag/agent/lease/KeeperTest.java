package org.openautoglm.oag.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;
import org.openautoglm.oag.agent.supervisor.Allocation;
import org.openautoglm.oag.agent.supervisor.AllocationState;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;
import org.openautoglm.oag.agent.supervisor.LeaseCheck;
import org.openautoglm.oag.agent.supervisor.ProcessLauncher;
import org.openautoglm.oag.agent.supervisor.RestartPolicy;
import org.openautoglm.oag.agent.supervisor.SupervisorOptions;
import org.openautoglm.oag.agent.supervisor.Thresholds;

/**
 * A real keeper JVM guarding real process groups. Deadlines are real {@code System.nanoTime()}
 * values, as the keeper compares them with its own clock; a stand-in {@code sleep} plays the
 * agent, so the test can make the agent go away.
 */
class KeeperTest {
  private static final Duration WITHIN = Duration.ofSeconds(40);
  private static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final ProcFs PROC = ProcFs.host();

  @TempDir Path data;
  private final ProcessLauncher launcher = new ProcessLauncher(PROC);
  private final List<AllocationSupervisor> supervisors = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private long keeperPid = -1;
  private long keeperTicks;

  @AfterEach
  void endEverything() throws Exception {
    for (AllocationSupervisor s : supervisors) {
      s.stop(Duration.ZERO);
      s.step(System.nanoTime());
    }
    if (keeperPid > 0 && PROC.stat(keeperPid).map(st -> st.startTicks() == keeperTicks).orElse(false)) {
      new ProcessBuilder("kill", "-KILL", Long.toString(keeperPid)).start().waitFor(10, TimeUnit.SECONDS);
    }
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void killsTheGroupWhoseLeaseLapsedOnlyThatOneAndExitsWhenItsAgentIsGone() throws Exception {
    Process agent = start("sleep", "600");
    keeperPid = KeeperProcess.ensureRunning(data, agent.pid());
    keeperTicks = PROC.stat(keeperPid).map(ProcStat::startTicks).orElseThrow();
    assertThat(KeeperProcess.ensureRunning(data, agent.pid())).isEqualTo(keeperPid);

    Leases leases = new Leases(data);
    AllocationLease lapsing = new AllocationLease(leases, "x-lapse");
    AllocationLease renewed = new AllocationLease(leases, "x-renew");
    lapsing.renew(System.nanoTime() + LEASE_NANOS);
    renewed.renew(System.nanoTime() + LEASE_NANOS);
    AllocationSupervisor lapse = supervise("x-lapse", lapsing);
    AllocationSupervisor renew = supervise("x-renew", renewed);
    AllocationSupervisor available = supervise("x-avail", LeaseCheck.NONE);
    long lapsePgid = lapse.step(System.nanoTime()).pid();
    long renewPgid = renew.step(System.nanoTime()).pid();
    long availablePgid = available.step(System.nanoTime()).pid();
    assertThat(leases.read("x-lapse")).hasValueSatisfying(l -> assertThat(l.pgid()).isEqualTo(lapsePgid));
    assertThat(leases.read("x-avail")).isEmpty();

    Process stranger = start("setsid", "sleep", "600");
    long strangerTicks = PROC.stat(stranger.pid()).map(ProcStat::startTicks).orElseThrow();
    leases.renew("x-reused", stranger.pid(), strangerTicks + 1, System.nanoTime());

    Status killed = await().pollInSameThread().atMost(WITHIN).until(() -> {
      renewed.renew(System.nanoTime() + LEASE_NANOS);
      renew.step(System.nanoTime());
      available.step(System.nanoTime());
      return lapse.step(System.nanoTime());
    }, s -> s.state().isFinal());

    assertThat(killed.state()).isEqualTo(AllocationState.FENCED);
    assertThat(killed.reason()).isEqualTo("lease lapsed");
    assertThat(killed.exitCode()).isEqualTo(128 + 9);
    assertThat(leases.killed("x-lapse")).hasValueSatisfying(m -> {
      assertThat(m.pgid()).isEqualTo(lapsePgid);
      assertThat(m.reason()).isEqualTo("lease lapsed");
    });
    assertThat(leases.read("x-lapse")).isEmpty();
    // The keeper writes the marker, kills, then logs: the line may trail the kill a little.
    await().atMost(WITHIN).until(() -> Files.readString(data.resolve("keeper.log"))
        .contains("event=lease_lapsed alloc=x-lapse pgid=" + lapsePgid + " "));
    assertThat(renew.step(System.nanoTime()).state()).isEqualTo(AllocationState.RUNNING);
    assertThat(available.step(System.nanoTime()).state()).isEqualTo(AllocationState.RUNNING);
    assertThat(alive(renewPgid)).isTrue();
    assertThat(alive(availablePgid)).isTrue();
    await().atMost(WITHIN).until(() -> leases.read("x-reused").isEmpty());
    assertThat(stranger.isAlive()).isTrue();
    assertThat(leases.killed("x-reused")).isEmpty();

    renew.stop(Duration.ofSeconds(5));
    assertThat(renew.step(System.nanoTime()).state()).isEqualTo(AllocationState.KILLED);
    assertThat(leases.list()).isEmpty();
    agent.destroyForcibly();
    await().atMost(WITHIN).until(() -> !alive(keeperPid));
    assertThat(Files.readString(data.resolve("keeper.log"))).contains("event=keeper_exit");
  }

  @Test
  void refusesToLaunchAnExclusiveAllocationWithoutAValidLease() throws IOException {
    Leases leases = new Leases(data);
    AllocationLease lease = new AllocationLease(leases, "x-nolease");
    AllocationSupervisor s = supervise("x-nolease", lease);

    Status waiting = s.step(System.nanoTime());
    assertThat(waiting.state()).isEqualTo(AllocationState.ASSIGNED);
    assertThat(waiting.pid()).isEqualTo(-1);
    assertThat(waiting.reason()).isEqualTo("waiting for a valid lease");
    lease.renew(System.nanoTime() - 1);
    assertThat(s.step(System.nanoTime()).state()).isEqualTo(AllocationState.ASSIGNED);

    lease.renew(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    Status running = s.step(System.nanoTime());
    assertThat(running.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(leases.read("x-nolease")).hasValueSatisfying(l -> assertThat(l.pgid()).isEqualTo(running.pid()));

    s.stop(Duration.ofSeconds(5));
    s.step(System.nanoTime());
    assertThat(leases.read("x-nolease")).isEmpty();
  }

  private AllocationSupervisor supervise(String id, LeaseCheck lease) throws IOException {
    Allocation a = new Allocation(id, "task-" + id, 1, List.of("sleep", "600"), Map.of(), null);
    AllocationSupervisor s = AllocationSupervisor.start(data, a,
        RestartPolicy.defaults(RestartPolicy.Mode.ALWAYS), Thresholds.NONE, launcher,
        SupervisorOptions.defaults().withLease(lease));
    supervisors.add(s);
    return s;
  }

  private Process start(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    return p;
  }

  private static boolean alive(long pid) {
    Optional<ProcStat> s = PROC.stat(pid);
    return s.isPresent() && !s.get().zombie();
  }
}
