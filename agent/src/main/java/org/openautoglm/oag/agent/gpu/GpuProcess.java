package org.openautoglm.oag.agent.gpu;

import java.util.Objects;

/**
 * One compute process on a GPU as nvidia-smi reports it.
 *
 * @param pid the process id in the host's pid namespace
 * @param gpuUuid the {@link Gpu#uuid()} of the GPU it runs on
 * @param usedMemoryMiB its GPU memory in MiB; 0 where the driver does not report it
 *     ({@code [N/A]}, {@code [Not Supported]}, as under MIG or in some containers)
 */
public record GpuProcess(long pid, String gpuUuid, long usedMemoryMiB) {
  public GpuProcess {
    Objects.requireNonNull(gpuUuid, "gpuUuid");
  }
}
