package org.openautoglm.oag.agent.host;

/**
 * The host's use at one sample.
 *
 * @param cpuPercent busy share of all cores since the previous sample, 0-100 (0 on the first)
 * @param memoryUsedMiB total minus available memory
 * @param load1 the one-minute load average
 */
public record HostSample(double cpuPercent, long memoryUsedMiB, long memoryTotalMiB, double load1) {}
