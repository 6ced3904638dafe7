package org.openautoglm.oag.agent.gpu;

import java.util.Objects;

/**
 * One GPU as nvidia-smi reports it.
 *
 * @param index the driver's index ({@code nvidia-smi -i}); not stable across reboots
 * @param uuid the stable id, e.g. {@code GPU-3f1c...}; processes name their GPU by it
 * @param model the product name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param memoryMiB total memory in MiB; 0 where the driver reports it as unknown
 */
public record Gpu(int index, String uuid, String model, long memoryMiB) {
  public Gpu {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(model, "model");
  }
}
