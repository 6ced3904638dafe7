package org.openautoglm.oag.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes known by pid and start time, as the agent records them; and what a keeper logged. */
class HostProcessTest {
  @Test
  void thisJvmIsAliveUnderItsOwnStartTimeOnly() {
    HostProcess me = HostProcess.of(ProcessHandle.current().pid()).orElseThrow();
    assertThat(me.alive()).isTrue();
    assertThat(new HostProcess(me.pid(), me.startTicks() + 1).alive()).as("same pid, another start").isFalse();
    assertThat(HostProcess.parse(me.pid() + " " + me.startTicks() + "\n")).contains(me);
    assertThat(HostProcess.parse("12")).isEmpty();
    assertThat(HostProcess.parse("a b")).isEmpty();
  }

  @Test
  void killGroupEndsTheGroupItLeads() throws Exception {
    Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 600 & exec sleep 600").start();
    HostProcess group = await().atMost(Duration.ofSeconds(20))
        .until(() -> HostProcess.of(leader.pid()), p -> p.isPresent()).orElseThrow();
    group.killGroup();
    await().atMost(Duration.ofSeconds(20)).until(() -> !group.alive());
    leader.waitFor();
  }

  @Test
  void theKeepersKillsAreReadFromItsLog(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("keeper.log"), List.of(
        "2026-01-01T00:00:00Z pid=7 event=keeper_started agent=5",
        "2026-01-01T00:00:01Z pid=7 event=lease_lapsed alloc=t1.2 pgid=90 late_ms=120 action=sigkill kill_rc=0"
            + " reason=\"lease lapsed\"",
        "2026-01-01T00:00:01Z pid=7 event=lease_lapsed alloc=t2.1 pgid=91 late_ms=3 action=none"
            + " reason=\"group leader gone or its pid reused\""));
    AgentProcess agent = new AgentProcess("a1", dir, dir.resolve("a1.log"), List.of("true"));
    assertThat(agent.keeperKills()).containsExactly(java.util.Map.entry("t1.2", 120L));
    assertThat(agent.allocationGroups()).isEmpty();
    assertThat(agent.keeper()).isEmpty();
  }
}
