package org.openautoglm.oag.agent.host;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Samples processes from {@code /proc/PID/stat}: state, start time, CPU (between two samples
 * of the same pid and start time), resident memory and uptime. One instance per sampling
 * loop; not thread-safe. {@link #forget} drops a pid's history once its process is gone.
 */
public final class ProcessSampler {
  private final ProcFs proc;
  private final LongSupplier nanoClock;
  private final Map<Long, Previous> previous = new HashMap<>();

  private record Previous(long startTicks, long cpuTicks, long atNanos) {}

  public ProcessSampler(ProcFs proc, LongSupplier nanoClock) {
    this.proc = proc;
    this.nanoClock = nanoClock;
  }

  /** The process now, or empty when there is no such process. */
  public Optional<ProcessSample> sample(long pid) {
    Optional<ProcStat> stat = proc.stat(pid);
    if (stat.isEmpty()) {
      previous.remove(pid);
      return Optional.empty();
    }
    ProcStat s = stat.get();
    long now = nanoClock.getAsLong();
    Previous before = previous.put(pid, new Previous(s.startTicks(), s.cpuTicks(), now));
    double cpu = 0;
    if (before != null && before.startTicks == s.startTicks() && now > before.atNanos) {
      double seconds = (now - before.atNanos) / 1e9;
      cpu = 100.0 * (s.cpuTicks() - before.cpuTicks) / proc.ticksPerSecond() / seconds;
    }
    double uptime = proc.uptimeSeconds().map(u -> u - (double) s.startTicks() / proc.ticksPerSecond()).orElse(0.0);
    return Optional.of(new ProcessSample(pid, s.state(), s.startTicks(), Math.max(0, cpu),
        s.rssPages() * proc.pageBytes() / (1024 * 1024), Math.max(0, uptime)));
  }

  /** Drops what is remembered of {@code pid}. */
  public void forget(long pid) {
    previous.remove(pid);
  }
}
