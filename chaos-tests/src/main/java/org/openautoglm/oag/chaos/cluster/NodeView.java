package org.openautoglm.oag.chaos.cluster;

/**
 * One coordinator's own account of itself, from a status call answered by that node alone.
 *
 * @param role LEADER, FOLLOWER, CANDIDATE or LISTENER
 * @param leader the member it takes for leader; empty when it knows none
 * @param appliedIndex the last log index applied to its state
 * @param digest the rolling digest of everything applied up to {@code appliedIndex}
 * @param snapshotInstalls checkpoints this process installed from a leader since it started
 */
public record NodeView(String id, String role, String leader, long term, long appliedIndex,
    String digest, long snapshotInstalls) {
  public boolean leading() {
    return role.equals("LEADER");
  }
}
