package org.openautoglm.oag.bench;

/**
 * The processes of a cluster's members, for the failover probe: which process is a member,
 * and bringing stopped members back.
 */
public interface MemberControl {

  /**
   * The running process of member {@code memberId}, verified to be that member; throws
   * {@link BenchException} when it cannot be found or verified. The probe kills only what
   * this returns.
   */
  ProcessHandle verifiedProcess(String memberId);

  /**
   * Starts every member that is not running and returns once they are started (not
   * necessarily caught up). Bounded in time; throws {@link BenchException} on failure.
   */
  void startStopped();
}
