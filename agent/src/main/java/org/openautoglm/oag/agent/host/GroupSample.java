package org.openautoglm.oag.agent.host;

/**
 * One process group (an allocation's processes) at one sample, summed over its live members.
 *
 * @param pgid the process group id, which is also its leader's pid
 * @param processes how many live (non-zombie) processes the group has
 * @param leaderState the leader's state letter ({@code T} when the group is stopped); {@code
 *     ?} when the leader is gone but members remain
 * @param cpuPercent CPU of all members since the previous sample of the group, in percent of
 *     one core (can exceed 100; 0 on the first sample). Time a member used and then exited
 *     with between two samples is not seen
 * @param rssMiB resident memory of all members; shared pages count once per process
 * @param uptimeSeconds seconds since the leader started; 0 when it is gone
 * @param gpuPercent SM utilisation summed over the members' GPU processes, as last reported
 *     to {@link GroupSampler#gpu}; 0 without GPUs
 * @param gpuMemoryMiB GPU memory of the members' GPU processes, likewise
 */
public record GroupSample(long pgid, int processes, char leaderState, double cpuPercent,
    long rssMiB, double uptimeSeconds, double gpuPercent, long gpuMemoryMiB) {

  /** Whether the group is stopped (SIGSTOP), as its leader shows. */
  public boolean stopped() {
    return leaderState == 'T' || leaderState == 't';
  }
}
