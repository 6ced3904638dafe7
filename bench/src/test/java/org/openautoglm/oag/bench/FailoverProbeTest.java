package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probe's rounds against a fake three-member cluster whose members are {@code sleep}
 * processes this test starts: killing the leader's process makes the next member leader
 * 50 ms later; writes fail while there is no leader.
 */
class FailoverProbeTest {
  private static final long ELECTION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final FakeCluster cluster = new FakeCluster();
  private final List<String> progress = new ArrayList<>();

  @AfterEach
  void stopSleepers() {
    cluster.stopAll();
  }

  private FailoverConfig config(int rounds) {
    return FailoverConfig.builder().rounds(rounds).writers(2)
        .settleTimeout(Duration.ofSeconds(20)).gapTimeout(Duration.ofSeconds(10))
        .exitTimeout(Duration.ofSeconds(10)).namePrefix("t").build();
  }

  @Test
  void eachRoundKillsTheLeaderMeasuresTheGapAndRestartsIt() {
    FailoverReport r = new FailoverProbe(cluster, cluster, config(2), progress::add).run();

    assertThat(r.error()).isNull();
    assertThat(r.rounds()).extracting(FailoverReport.Round::killed).containsExactly("c1", "c2");
    assertThat(r.rounds()).extracting(FailoverReport.Round::newLeader)
        .containsExactly("c2", "c3");
    assertThat(r.rounds()).allSatisfy(x -> assertThat(x.gapMs()).isBetween(45.0, 10_000.0));
    assertThat(r.maxMs()).isGreaterThanOrEqualTo(r.medianMs());
    assertThat(r.writes()).isPositive();
    assertThat(cluster.restarts).isEqualTo(2);
    assertThat(cluster.allAlive()).as("the last victim was restarted").isTrue();
    assertThat(progress).anyMatch(l -> l.startsWith("round 1: killing leader c1"));
  }

  @Test
  void aProcessThatCannotBeVerifiedEndsTheRunWithoutKillingAnything() {
    MemberControl refusing = new MemberControl() {
      @Override
      public ProcessHandle verifiedProcess(String memberId) {
        throw new BenchException("pid 42 is not coordinator " + memberId + "; refusing");
      }

      @Override
      public void startStopped() {
        throw new AssertionError("nothing was stopped");
      }
    };
    FailoverReport r = new FailoverProbe(cluster, refusing, config(3), progress::add).run();

    assertThat(r.rounds()).isEmpty();
    assertThat(r.error()).contains("refusing");
    assertThat(cluster.allAlive()).isTrue();
  }

  /** Members c1..c3 as sleep processes; leadership passes on 50 ms after the leader dies. */
  private static final class FakeCluster implements BenchTarget, MemberControl {
    private final Map<String, Process> members = new LinkedHashMap<>();
    private String leader = "c1";
    private long term = 1;
    private long leaderDiedAt;
    private boolean electing;
    int restarts;

    FakeCluster() {
      for (String id : List.of("c1", "c2", "c3")) {
        members.put(id, sleeper());
      }
    }

    private static Process sleeper() {
      try {
        return new ProcessBuilder("sleep", "120").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The leader now, or null during an election. */
    private synchronized String leader() {
      if (!electing && !members.get(leader).isAlive()) {
        electing = true;
        leaderDiedAt = System.nanoTime();
      }
      if (electing && System.nanoTime() - leaderDiedAt >= ELECTION_NANOS) {
        List<String> ids = new ArrayList<>(members.keySet());
        for (int i = 1; i <= ids.size(); i++) {
          String next = ids.get((ids.indexOf(leader) + i) % ids.size());
          if (members.get(next).isAlive()) {
            leader = next;
            term++;
            electing = false;
            break;
          }
        }
      }
      return electing ? null : leader;
    }

    synchronized boolean allAlive() {
      return members.values().stream().allMatch(Process::isAlive);
    }

    synchronized void stopAll() {
      members.values().forEach(Process::destroyForcibly);
    }

    @Override
    public Writer openWriter(String name) {
      return new Writer() {
        @Override
        public void write(String key, String payload) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          if (leader() == null) {
            throw new IllegalStateException("no leader");
          }
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public synchronized ClusterHealth health() {
      String l = leader();
      List<ClusterHealth.Member> m = new ArrayList<>();
      members.forEach((id, p) -> m.add(new ClusterHealth.Member(id, p.isAlive(), 100)));
      return new ClusterHealth(l, term, m);
    }

    @Override
    public synchronized ProcessHandle verifiedProcess(String memberId) {
      return new Killable(members.get(memberId).toHandle(), this::killed);
    }

    /** The kill takes effect for the fake at once, not when the OS has reaped the process. */
    private synchronized void killed() {
      if (!electing) {
        electing = true;
        leaderDiedAt = System.nanoTime();
      }
    }

    @Override
    public synchronized void startStopped() {
      members.replaceAll((id, p) -> p.isAlive() ? p : sleeper());
      restarts++;
    }

    @Override
    public void close() {}
  }

  /** A process handle that reports its forced kill before delegating it. */
  private record Killable(ProcessHandle real, Runnable onKill) implements ProcessHandle {
    @Override
    public boolean destroyForcibly() {
      onKill.run();
      return real.destroyForcibly();
    }

    @Override
    public boolean destroy() {
      onKill.run();
      return real.destroy();
    }

    @Override
    public long pid() {
      return real.pid();
    }

    @Override
    public java.util.Optional<ProcessHandle> parent() {
      return real.parent();
    }

    @Override
    public java.util.stream.Stream<ProcessHandle> children() {
      return real.children();
    }

    @Override
    public java.util.stream.Stream<ProcessHandle> descendants() {
      return real.descendants();
    }

    @Override
    public ProcessHandle.Info info() {
      return real.info();
    }

    @Override
    public java.util.concurrent.CompletableFuture<ProcessHandle> onExit() {
      return real.onExit();
    }

    @Override
    public boolean supportsNormalTermination() {
      return real.supportsNormalTermination();
    }

    @Override
    public boolean isAlive() {
      return real.isAlive();
    }

    @Override
    public int compareTo(ProcessHandle other) {
      return real.compareTo(other);
    }
  }
}
