package org.openautoglm.oag.bench.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.openautoglm.oag.bench.etcd.v3.Member;
import org.openautoglm.oag.bench.etcd.v3.StatusResponse;

/**
 * Finds which endpoint is the leader's. Each member's {@code Maintenance.Status} names the
 * leader it follows (a member id, 0 for none) and, in its header, the member that answered;
 * {@code Cluster.MemberList} gives each member's client URLs. The endpoints are asked in
 * order, each with the health deadline:
 *
 * <ul>
 *   <li>a member that is the leader it names: its endpoint;
 *   <li>a member that names another: that member's client URL, when it is one of the
 *       endpoints (compared as host:port);
 *   <li>otherwise (no leader known, URL not among the endpoints, no answer): the next
 *       endpoint, whose member may be the leader itself.
 * </ul>
 *
 * <p>A follower keeps naming a dead leader until the next election, so an answer can be
 * stale; the caller's next write to it fails fast and it asks again. Stateless;
 * thread-safe.
 */
final class LeaderLocator {
  private final EtcdChannels channels;
  private final long callNanos;

  LeaderLocator(EtcdChannels channels, EtcdConfig config) {
    this.channels = channels;
    this.callNanos = config.healthDeadline().toNanos();
  }

  /**
   * What a look-up found: the leader's endpoint, or null and why not; {@code budgetSpent}
   * when it stopped because the caller's time ran out (then {@code why} is what it had
   * learned before).
   */
  record Found(String endpoint, String why, boolean budgetSpent) {}

  /** Asks the members; each call gets min(health deadline, time left until {@code endNanos}). */
  Found find(long endNanos) {
    String why = "no endpoint answered";
    for (String endpoint : channels.endpoints()) {
      long left = endNanos - System.nanoTime();
      if (left <= 0) {
        return new Found(null, why, true);
      }
      try {
        StatusResponse s = channels.status(endpoint, Math.min(callNanos, left));
        if (s.getLeader() == 0) {
          why = endpoint + " knows no leader";
          continue;
        }
        if (s.getLeader() == s.getHeader().getMemberId()) {
          return new Found(endpoint, null, false);
        }
        left = endNanos - System.nanoTime();
        if (left <= 0) {
          continue;
        }
        List<Member> members = channels.memberList(endpoint, Math.min(callNanos, left))
            .getMembersList();
        String e = endpointOf(s.getLeader(), members, channels.endpoints());
        if (e != null) {
          return new Found(e, null, false);
        }
        why = "leader " + Long.toHexString(s.getLeader()) + " (per " + endpoint
            + ") has no client URL among the endpoints " + channels.endpoints();
      } catch (StatusRuntimeException x) {
        if (System.nanoTime() - endNanos >= 0) {
          return new Found(null, why, true); // cut short by the budget: says nothing new
        }
        why = endpoint + ": " + EtcdErrors.describe(x.getStatus());
        if (x.getStatus().getCode() == Status.Code.UNAVAILABLE) {
          channels.reconnectSoon(endpoint);
        }
      }
    }
    return new Found(null, why, false);
  }

  /**
   * The endpoint among {@code endpoints} that is a client URL of member {@code memberId},
   * compared as host:port ({@code localhost} and {@code 127.0.0.1} differ); null if none is.
   */
  static String endpointOf(long memberId, List<Member> members, List<String> endpoints) {
    for (Member m : members) {
      if (m.getID() != memberId) {
        continue;
      }
      for (String url : m.getClientURLsList()) {
        String hostPort = EtcdConfig.hostPort(url);
        if (hostPort != null && endpoints.contains(hostPort)) {
          return hostPort;
        }
      }
    }
    return null;
  }
}
