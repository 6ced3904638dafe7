package org.openautoglm.oag.bench;

import java.util.List;
import java.util.Objects;

/**
 * One look at a cluster: who leads, in which term, and how far each member has applied.
 * Immutable.
 *
 * @param leader the leader's member id, "" when none is known
 * @param term the term of the member that answered
 * @param members every configured member, reachable or not
 */
public record ClusterHealth(String leader, long term, List<Member> members) {

  /** One member; an unreachable one has applied index 0. */
  public record Member(String id, boolean reachable, long appliedIndex) {
    public Member {
      Objects.requireNonNull(id, "id");
    }
  }

  public ClusterHealth {
    leader = Objects.requireNonNullElse(leader, "");
    members = List.copyOf(members);
  }

  public boolean hasLeader() {
    return !leader.isEmpty();
  }

  /**
   * Whether the cluster is back to normal: a leader, {@code expectedMembers} members all
   * reachable, and their applied indexes at most {@code maxAppliedGap} apart.
   */
  public boolean settled(int expectedMembers, long maxAppliedGap) {
    if (!hasLeader() || members.size() != expectedMembers) {
      return false;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Member m : members) {
      if (!m.reachable()) {
        return false;
      }
      min = Math.min(min, m.appliedIndex());
      max = Math.max(max, m.appliedIndex());
    }
    return max - min <= maxAppliedGap;
  }

  /** A one-line summary for progress messages and errors. */
  public String summary() {
    StringBuilder b = new StringBuilder("leader ").append(hasLeader() ? leader : "none")
        .append(" term ").append(term).append(", applied");
    for (Member m : members) {
      b.append(' ').append(m.id()).append('=')
          .append(m.reachable() ? Long.toString(m.appliedIndex()) : "unreachable");
    }
    return b.toString();
  }
}
