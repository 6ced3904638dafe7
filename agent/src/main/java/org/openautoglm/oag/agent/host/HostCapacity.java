package org.openautoglm.oag.agent.host;

import java.util.List;
import org.openautoglm.oag.agent.gpu.Gpu;
import org.openautoglm.oag.agent.gpu.NvidiaSmi;

/**
 * What a host offers, as an agent registers it: cores the agent may use, total memory, and
 * the GPUs {@code nvidia-smi} reports (none, without error, on a host without it).
 */
public record HostCapacity(int cores, long memoryMiB, List<Gpu> gpus) {
  public HostCapacity {
    gpus = List.copyOf(gpus);
  }

  /**
   * Detects this host's capacity: cores the JVM may run on (which honours CPU affinity and
   * container limits), {@code MemTotal} from meminfo, and {@code nvidia.gpus()}.
   */
  public static HostCapacity detect(ProcFs proc, NvidiaSmi nvidia) {
    long memKiB = proc.meminfoKiB("MemTotal").orElseThrow(() ->
        new IllegalStateException("no MemTotal in meminfo"));
    return new HostCapacity(Runtime.getRuntime().availableProcessors(), memKiB / 1024, nvidia.gpus());
  }
}
