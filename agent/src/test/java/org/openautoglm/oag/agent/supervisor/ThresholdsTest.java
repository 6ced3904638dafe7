package org.openautoglm.oag.agent.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.awaitOneChild;
import static org.openautoglm.oag.agent.supervisor.ProcessGroups.groupMembers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.host.GroupSample;
import org.openautoglm.oag.agent.host.GroupSampler;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.supervisor.AllocationSupervisor.Status;
import org.openautoglm.oag.agent.supervisor.RestartPolicy.Mode;

/** Real processes over their limits; runtimes and backoff on a fake clock. */
class ThresholdsTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ProcessLauncher launcher = new ProcessLauncher(ProcFs.host());
  private final SupervisorOptions options = SupervisorOptions.defaults()
      .withSampler(new GroupSampler(ProcFs.host(), System::nanoTime, Duration.ZERO));
  private final List<AllocationSupervisor> supervisors = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (AllocationSupervisor s : supervisors) {
      s.stop(Duration.ZERO);
      s.step(clock.get());
    }
  }

  @Test
  void aGroupOverItsMemoryLimitIsRestartedWithTheReasonEvenUnderPolicyNever() throws Exception {
    assumeThat(python3Works()).as("python3 runs").isTrue();
    Thresholds limit = new Thresholds(32, 0, Duration.ZERO, Duration.ZERO, Thresholds.Action.RESTART);
    AllocationSupervisor s = supervise("a-mem", Mode.NEVER, limit, "python3", "-c",
        "import time\na = b'x' * (96 << 20)\ntime.sleep(60)");
    long first = s.step(clock.get()).pid();

    Status restarting = await().pollInSameThread().atMost(WITHIN)
        .until(() -> s.step(clock.get()), st -> st.state() != AllocationState.RUNNING);
    assertThat(restarting.state()).isEqualTo(AllocationState.BACKOFF);
    assertThat(restarting.reason()).matches("memory \\d+ MiB above limit 32 MiB; restart 1 after 1s");
    assertThat(restarting.exitCode()).isEqualTo(128 + 15);
    await().atMost(WITHIN).until(() -> groupMembers(first).isEmpty());

    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    Status restarted = s.step(clock.get());
    assertThat(restarted.state()).isEqualTo(AllocationState.RUNNING);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(s.metrics().restarts()).isEqualTo(1);
  }

  @Test
  void aGroupPastItsRuntimeIsKilledForGood() throws IOException {
    Thresholds limit = new Thresholds(0, 0, Duration.ZERO, Duration.ofSeconds(5), Thresholds.Action.KILL);
    AllocationSupervisor s = supervise("a-runtime", Mode.ALWAYS, limit, "sleep", "60");
    long pgid = s.step(clock.get()).pid();
    awaitOneChild(pgid);
    await().pollInSameThread().atMost(WITHIN).until(() -> {
      s.step(clock.get());
      return s.metrics().rssMiB() > 0;
    });

    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(s.step(clock.get()).state()).isEqualTo(AllocationState.RUNNING);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    Status killed = s.step(clock.get());

    assertThat(killed.state()).isEqualTo(AllocationState.KILLED);
    assertThat(killed.reason()).isEqualTo("runtime 6s above limit 5s");
    assertThat(killed.exitCode()).isEqualTo(128 + 15);
    assertThat(s.metrics()).isEqualTo(new AllocationSupervisor.Metrics(0, 0, 0, 0, 0, 0));
    await().atMost(WITHIN).until(() -> groupMembers(pgid).isEmpty());
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(s.step(clock.get())).isEqualTo(killed);
  }

  @Test
  void cpuMustStayAboveItsLimitForTheWholePeriod() {
    ThresholdCheck check = new ThresholdCheck(
        new Thresholds(0, 50, Duration.ofSeconds(10), Duration.ZERO, Thresholds.Action.KILL));
    long t = 0;
    assertThat(check.check(cpu(80), 0, t)).isEmpty();
    assertThat(check.check(cpu(80), 0, t += 9_000_000_000L)).isEmpty();
    assertThat(check.check(cpu(20), 0, t += 1_000_000_000L)).isEmpty();
    assertThat(check.check(cpu(80), 0, t += 1_000_000_000L)).isEmpty();
    assertThat(check.check(cpu(80), 0, t + 10_000_000_000L))
        .contains("cpu 80% above limit 50% for 10s");
  }

  private static GroupSample cpu(double percent) {
    return new GroupSample(1, 1, 'R', percent, 1, 1, 0, 0);
  }

  private AllocationSupervisor supervise(String id, Mode mode, Thresholds limit, String... command)
      throws IOException {
    Allocation a = new Allocation(id, "task-" + id, 1, List.of(command), Map.of(), null);
    RestartPolicy policy = new RestartPolicy(mode, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofHours(1), 5, Duration.ofMinutes(10));
    AllocationSupervisor s = AllocationSupervisor.start(data, a, policy, limit, launcher, options);
    supervisors.add(s);
    return s;
  }

  private static boolean python3Works() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c", "pass")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
