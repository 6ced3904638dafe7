package org.openautoglm.oag.agent.gpu;

/**
 * One process's share of a GPU's compute as {@code nvidia-smi pmon} reports it.
 *
 * @param pid the process id in the host's pid namespace
 * @param gpuIndex the {@link Gpu#index()} of the GPU
 * @param smPercent the share of the GPU's streaming multiprocessors it used over pmon's last
 *     sampling interval, 0-100; 0 where the driver reports none ({@code -})
 */
public record GpuProcessUtilization(long pid, int gpuIndex, double smPercent) {}
