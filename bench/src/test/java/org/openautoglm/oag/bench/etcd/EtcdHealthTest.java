package org.openautoglm.oag.bench.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.bench.ClusterHealth;
import org.openautoglm.oag.bench.etcd.v3.Member;
import org.openautoglm.oag.bench.etcd.v3.ResponseHeader;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

class EtcdHealthTest {
  // In etcd's order: by member id, which is random.
  private static final List<Member> MEMBERS = List.of(member(12, "e2"), member(13, "e3"),
      member(11, "e1"));

  private static Member member(long id, String name) {
    return Member.newBuilder().setID(id).setName(name)
        .addClientURLs("http://127.0.0.1:" + (23780 + id)).build();
  }

  private static StatusResponse status(long self, long leader, long term, long applied) {
    return StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(self).setRaftTerm(term))
        .setLeader(leader).setRaftTerm(term).setRaftIndex(applied + 1)
        .setRaftAppliedIndex(applied).build();
  }

  @Test
  void membersAreNamedAndUnreachableOnesHaveAppliedZero() {
    ClusterHealth h = EtcdHealth.of(List.of(status(12, 12, 4, 100), status(11, 12, 4, 99)),
        MEMBERS);

    assertThat(h.leader()).isEqualTo("e2");
    assertThat(h.term()).isEqualTo(4);
    assertThat(h.members()).containsExactly(new ClusterHealth.Member("e1", true, 99),
        new ClusterHealth.Member("e2", true, 100), new ClusterHealth.Member("e3", false, 0));
    assertThat(h.summary()).isEqualTo("leader e2 term 4, applied e1=99 e2=100 e3=unreachable");
  }

  @Test
  void theNewestTermDecidesTheLeader() {
    // e1 has not heard of the election e3 won in term 5 yet.
    ClusterHealth h = EtcdHealth.of(List.of(status(11, 12, 4, 10), status(13, 13, 5, 11)),
        MEMBERS);

    assertThat(h.leader()).isEqualTo("e3");
    assertThat(h.term()).isEqualTo(5);
  }

  @Test
  void noLeaderKnownIsNoLeader() {
    ClusterHealth h = EtcdHealth.of(List.of(status(11, 0, 6, 10), status(12, 0, 7, 10)),
        MEMBERS);

    assertThat(h.hasLeader()).isFalse();
    assertThat(h.term()).isEqualTo(7);
  }

  @Test
  void aMemberThatNeverStartedHasNoNameAndShowsItsId() {
    List<Member> members = List.of(member(11, "e1"), Member.newBuilder().setID(0xabcL).build());

    ClusterHealth h = EtcdHealth.of(List.of(status(11, 11, 2, 5)), members);

    assertThat(h.members()).extracting(ClusterHealth.Member::id).containsExactly("abc", "e1");
  }
}
