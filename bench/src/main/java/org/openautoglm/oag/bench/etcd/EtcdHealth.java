package org.openautoglm.oag.bench.etcd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openautoglm.oag.bench.ClusterHealth;
import org.openautoglm.oag.bench.etcd.v3.Member;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

/**
 * Turns etcd's answers into a {@link ClusterHealth}: every member of the member list, by
 * name (what {@code bench/etcd-cluster.sh} calls it, and what the failover probe kills it
 * by; a member that never started has no name and shows as its hex id), sorted by that name
 * (etcd lists members in the order of their random ids); reachable when its
 * own Status answered, with that answer's applied index; leader and term from the answer
 * with the highest term that names a leader (members that have not heard of a newer term
 * lag behind it). Pure; no I/O.
 */
final class EtcdHealth {
  private EtcdHealth() {}

  /**
   * @param answers the Status answers that came back (from any endpoints, in any order)
   * @param members the member list, as one member reported it
   */
  static ClusterHealth of(List<StatusResponse> answers, List<Member> members) {
    Map<Long, StatusResponse> byMember = new HashMap<>();
    StatusResponse lead = null;
    long maxTerm = 0;
    for (StatusResponse s : answers) {
      byMember.put(s.getHeader().getMemberId(), s);
      maxTerm = Math.max(maxTerm, s.getRaftTerm());
      if (s.getLeader() != 0 && (lead == null || s.getRaftTerm() > lead.getRaftTerm())) {
        lead = s;
      }
    }
    List<ClusterHealth.Member> out = new ArrayList<>();
    String leader = "";
    for (Member m : members) {
      String id = name(m);
      StatusResponse s = byMember.get(m.getID());
      out.add(new ClusterHealth.Member(id, s != null, s == null ? 0 : s.getRaftAppliedIndex()));
      if (lead != null && m.getID() == lead.getLeader()) {
        leader = id;
      }
    }
    if (lead != null && leader.isEmpty()) {
      leader = Long.toHexString(lead.getLeader()); // not (yet) in the list that was read
    }
    out.sort(Comparator.comparing(ClusterHealth.Member::id));
    return new ClusterHealth(leader, lead != null ? lead.getRaftTerm() : maxTerm, out);
  }

  static String name(Member m) {
    return m.getName().isEmpty() ? Long.toHexString(m.getID()) : m.getName();
  }
}
