package org.openautoglm.oag.coordinator.scheduler;

/** CPU millicores, memory MiB and a GPU count: a request, a capacity or a use. Immutable. */
public record Resources(long cpuMillis, long memoryMib, long gpus) {
  public static final Resources NONE = new Resources(0, 0, 0);

  public Resources plus(Resources o) {
    return new Resources(cpuMillis + o.cpuMillis, memoryMib + o.memoryMib, gpus + o.gpus);
  }

  public Resources minus(Resources o) {
    return new Resources(cpuMillis - o.cpuMillis, memoryMib - o.memoryMib, gpus - o.gpus);
  }

  /** Whether {@code request} fits in this (as free resources). */
  public boolean fits(Resources request) {
    return request.cpuMillis <= cpuMillis && request.memoryMib <= memoryMib && request.gpus <= gpus;
  }
}
