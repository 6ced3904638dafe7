package org.openautoglm.oag.agent.host;

/**
 * One process at one sample.
 *
 * @param state the kernel's state letter: R running, S sleeping, D disk wait, T stopped
 *     (SIGSTOP), Z zombie
 * @param startTicks when it started, in clock ticks after boot: with the pid, identifies the
 *     process (a reused pid has another start time)
 * @param cpuPercent CPU since the previous sample of this pid, in percent of one core (a
 *     multi-threaded process can exceed 100; 0 on the first sample)
 * @param rssMiB resident memory
 * @param uptimeSeconds seconds since it started
 */
public record ProcessSample(long pid, char state, long startTicks, double cpuPercent, long rssMiB,
    double uptimeSeconds) {
  public boolean stopped() {
    return state == 'T' || state == 't';
  }
}
