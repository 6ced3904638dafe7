package org.openautoglm.oag.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.bench.BenchTarget;
import org.openautoglm.oag.bench.ClusterHealth;

/** The etcd target against pretend members: where writes go, retries, health. */
class EtcdTargetTest {
  private FakeEtcd etcd;
  private EtcdTarget target;

  @BeforeEach
  void start() {
    etcd = new FakeEtcd(3);
    target = new EtcdTarget(config(Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    target.close();
    etcd.close();
  }

  private EtcdConfig config(Duration budget) {
    return EtcdConfig.builder(etcd.endpoints()).retryBudget(budget)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
        .channelFactory(FakeEtcd.channels()).build();
  }

  @Test
  void aWriteIsOnePutOfKeyAndPayloadBytesToTheLeader() {
    etcd.elect(2);
    try (BenchTarget.Writer w = target.openWriter("w0")) {
      w.write("bench-x-w0-1", "abc");
      w.write("bench-x-w0-2", "def");
    }

    assertThat(etcd.member(2).puts).hasSize(2);
    assertThat(etcd.member(2).puts.get(0).getKey().toStringUtf8()).isEqualTo("bench-x-w0-1");
    assertThat(etcd.member(2).puts.get(0).getValue().toStringUtf8()).isEqualTo("abc");
    assertThat(etcd.member(2).puts.get(0).getLease()).isZero();
    assertThat(etcd.member(1).puts).isEmpty();
    assertThat(etcd.member(3).puts).isEmpty();
  }

  @Test
  void aWriteFollowsALeaderChange() {
    etcd.elect(1);
    try (BenchTarget.Writer w = target.openWriter("w0")) {
      w.write("k1", "v");
      etcd.member(1).failNextPut(
          Status.UNAVAILABLE.withDescription("etcdserver: leader changed"), () -> etcd.elect(3));
      w.write("k2", "v");
    }

    assertThat(etcd.member(1).puts).extracting(p -> p.getKey().toStringUtf8()).containsExactly("k1");
    assertThat(etcd.member(3).puts).extracting(p -> p.getKey().toStringUtf8()).containsExactly("k2");
  }

  @Test
  void aWriteOutlivesADeadLeaderThatFollowersStillName() {
    etcd.elect(1);
    try (BenchTarget.Writer w = target.openWriter("w0")) {
      w.write("k1", "v");
      // Followers keep naming the dead leader until they elect another; then the first Put
      // at the new leader still finds it without a leader of its own.
      etcd.member(1).down();
      etcd.electAfterStatusCalls(2, 4);
      etcd.member(2).failNextPut(Status.UNAVAILABLE.withDescription("etcdserver: no leader"),
          () -> { });
      w.write("k2", "v");
    }

    assertThat(etcd.member(2).puts).extracting(p -> p.getKey().toStringUtf8()).containsExactly("k2");
  }

  @Test
  void anErrorThatRetryingCannotFixIsThrownAtOnce() {
    etcd.elect(1);
    etcd.member(1).failNextPut(
        Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided"), () -> { });
    try (BenchTarget.Writer w = target.openWriter("w0")) {
      assertThatThrownBy(() -> w.write("k", "v"))
          .isExactlyInstanceOf(EtcdException.class)
          .hasMessageContaining("127.0.0.1:23791: INVALID_ARGUMENT: etcdserver: key is not provided");
    }
    assertThat(etcd.member(1).puts).isEmpty();
  }

  @Test
  void withoutALeaderAWriteGivesUpWhenItsBudgetIsSpent() {
    try (EtcdTarget shortBudget = new EtcdTarget(config(Duration.ofMillis(300)));
        BenchTarget.Writer w = shortBudget.openWriter("w0")) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> w.write("k", "v"))
          .isInstanceOf(EtcdUnavailableException.class)
          .hasMessageContaining("gave up")
          .hasMessageContaining("knows no leader");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    etcd.members.forEach(m -> assertThat(m.puts).isEmpty());
  }

  @Test
  void aClosedWriterFailsInsteadOfRetrying() {
    etcd.elect(1);
    BenchTarget.Writer w = target.openWriter("w0");
    w.close();
    assertThatThrownBy(() -> w.write("k", "v")).isInstanceOf(EtcdException.class);
    w.close(); // idempotent
  }

  @Test
  void healthNamesMembersLeaderTermAndAppliedIndexes() {
    etcd.elect(2);
    etcd.member(1).applied = 40;
    etcd.member(2).applied = 42;
    etcd.member(3).down();

    ClusterHealth h = target.health();

    assertThat(h.leader()).isEqualTo("e2");
    assertThat(h.term()).isEqualTo(etcd.term);
    assertThat(h.members()).containsExactly(new ClusterHealth.Member("e1", true, 40),
        new ClusterHealth.Member("e2", true, 42), new ClusterHealth.Member("e3", false, 0));
    assertThat(h.settled(3, 50)).isFalse();
  }

  @Test
  void healthThrowsWhenNoMemberAnswers() {
    etcd.close();
    assertThatThrownBy(target::health)
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageContaining("no etcd member answered");
  }
}
