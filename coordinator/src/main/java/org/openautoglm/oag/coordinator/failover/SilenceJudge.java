package org.openautoglm.oag.coordinator.failover;

import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.command.v1.SilentNode;
import org.openautoglm.oag.coordinator.state.FailoverSettings;

/**
 * Decides what to do about nodes the leader has not heard from: a pure function of how long
 * each UP node has been silent, the failover settings and whether the storm guard is on.
 *
 * <ul>
 *   <li>silent for the TTL or more: the node is DOWN, all its work LOST (its exclusive work's
 *       lease has lapsed and the keeper has killed it by then);
 *   <li>silent for the available TTL or more, with available work on it: that work is LOST
 *       and placed elsewhere; the node and its exclusive work stay;
 *   <li><b>storm guard</b>: when more of the UP nodes than {@code storm_percent} (and always
 *       more than one) are silent for the available TTL at once, the fault is more likely
 *       the coordinator's own (a pause, a partition around the leader) than theirs: no
 *       verdict at all, and the guard goes on; it goes off once no more than that many are
 *       silent.
 * </ul>
 */
final class SilenceJudge {

  private SilenceJudge() {}

  /**
   * One UP node as the leader sees it.
   *
   * @param silentMs how long since its last heartbeat, or since this leader became ready
   *     when that is later (a new leader gives every node a full TTL)
   * @param hasAvailableWork whether a live allocation of an {@code available} task is on it
   */
  record Silence(String node, String bootId, long silentMs, boolean hasAvailableWork) {}

  /** What to propose: verdicts, and a storm guard change (null: none). */
  record Verdict(List<SilentNode> nodes, Boolean stormGuard, String stormReason) {
    static final Verdict NOTHING = new Verdict(List.of(), null, "");

    boolean isEmpty() {
      return nodes.isEmpty() && stormGuard == null;
    }
  }

  /**
   * @param candidates UP nodes that may be silent (every UP node not among them was heard
   *     within the available TTL)
   * @param upCount how many nodes are UP
   */
  static Verdict judge(List<Silence> candidates, int upCount, FailoverSettings settings, boolean guardOn) {
    List<Silence> silent = candidates.stream().filter(s -> s.silentMs() >= settings.availableTtlMs()).toList();
    int allowed = Math.max(1, (int) (upCount * (long) settings.stormPercent() / 100));
    String counted = silent.size() + " of " + upCount + " nodes silent for " + settings.availableTtlMs()
        + " ms or more (more than " + allowed + ")";
    if (silent.size() > allowed) {
      return guardOn ? Verdict.NOTHING : new Verdict(List.of(), true, counted + ": declaring none down");
    }
    List<SilentNode> verdicts = new ArrayList<>();
    for (Silence s : silent) {
      boolean down = s.silentMs() >= settings.ttlMs();
      if (down || s.hasAvailableWork()) {
        verdicts.add(SilentNode.newBuilder().setNodeId(s.node()).setBootId(s.bootId()).setDown(down)
            .setSilentMs(s.silentMs()).build());
      }
    }
    Boolean guard = guardOn ? Boolean.FALSE : null;
    String reason = guardOn ? "heartbeats back: " + silent.size() + " of " + upCount + " nodes silent" : "";
    return new Verdict(verdicts, guard, reason);
  }
}
