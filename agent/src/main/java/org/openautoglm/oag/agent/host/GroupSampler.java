package org.openautoglm.oag.agent.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.openautoglm.oag.agent.gpu.GpuProcess;
import org.openautoglm.oag.agent.gpu.GpuProcessUtilization;

/**
 * Samples whole process groups: every live process whose {@code stat} names the group, summed
 * (CPU, resident memory, GPU), as one allocation's use.
 *
 * <p>Why one scan serves everyone: a group's members can only be found by reading every
 * process's {@code stat}, so one scan of {@code /proc} is taken at most every {@code maxAge}
 * and every group sampled until the next scan reads from it (and gets the same sample). Share
 * one instance among an agent's supervisors. CPU is a rate between two scans of the same
 * group, per member (pid and start time), on this sampler's own clock, which must be a real
 * monotonic one. GPU use is whatever the caller last passed to {@link #gpu} (nvidia-smi is too
 * slow to run per sample), attributed by pid.
 *
 * <p>Thread-safe (every method is synchronized); never blocks beyond reading {@code /proc}.
 */
public final class GroupSampler {
  /** Scans at most this often by default: fresh enough for a 1 s step and for thresholds. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMillis(500);

  private final ProcFs proc;
  private final LongSupplier nanoClock;
  private final long maxAgeNanos;

  private long scannedAt;
  private long scans;
  private Map<Long, List<Member>> groups = Map.of();
  private final Map<Long, Previous> previous = new HashMap<>();
  private Map<Long, double[]> gpuByPid = Map.of();

  private record Member(long pid, ProcStat stat) {}

  /** The previous sample of a group: from which scan, when, and each member's CPU ticks. */
  private record Previous(long scan, long atNanos, Map<String, Long> ticks, GroupSample sample) {}

  public GroupSampler(ProcFs proc, LongSupplier nanoClock, Duration maxAge) {
    this.proc = proc;
    this.nanoClock = nanoClock;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Samples this host's {@code /proc} on {@link System#nanoTime()}, scanning at most every 500 ms. */
  public GroupSampler() {
    this(ProcFs.host(), System::nanoTime, DEFAULT_MAX_AGE);
  }

  /** The group now (as of the latest scan), or empty when no live process belongs to it. */
  public synchronized Optional<GroupSample> sample(long pgid) {
    long now = nanoClock.getAsLong();
    if (scans == 0 || now - scannedAt >= maxAgeNanos) {
      scan(now);
    }
    Previous before = previous.get(pgid);
    if (before != null && before.scan() == scans) {
      return Optional.of(before.sample());
    }
    List<Member> members = groups.getOrDefault(pgid, List.of());
    if (members.isEmpty()) {
      previous.remove(pgid);
      return Optional.empty();
    }
    Map<String, Long> ticks = new HashMap<>();
    long rssPages = 0;
    long newTicks = 0;
    double gpuPercent = 0;
    long gpuMemory = 0;
    char leaderState = '?';
    double uptime = 0;
    for (Member m : members) {
      String key = m.pid() + "@" + m.stat().startTicks();
      ticks.put(key, m.stat().cpuTicks());
      // A member that joined since the previous scan counts with all its ticks.
      newTicks += m.stat().cpuTicks() - (before == null ? m.stat().cpuTicks()
          : Math.min(m.stat().cpuTicks(), before.ticks().getOrDefault(key, 0L)));
      rssPages += m.stat().rssPages();
      double[] gpu = gpuByPid.get(m.pid());
      if (gpu != null) {
        gpuPercent += gpu[0];
        gpuMemory += (long) gpu[1];
      }
      if (m.pid() == pgid) {
        leaderState = m.stat().state();
        long start = m.stat().startTicks();
        uptime = proc.uptimeSeconds().map(u -> u - (double) start / proc.ticksPerSecond()).orElse(0.0);
      }
    }
    double cpu = 0;
    if (before != null && now > before.atNanos()) {
      cpu = 100.0 * newTicks / proc.ticksPerSecond() / ((now - before.atNanos()) / 1e9);
    }
    GroupSample sample = new GroupSample(pgid, members.size(), leaderState, Math.max(0, cpu),
        rssPages * proc.pageBytes() / (1024 * 1024), Math.max(0, uptime), gpuPercent, gpuMemory);
    previous.put(pgid, new Previous(scans, now, ticks, sample));
    return Optional.of(sample);
  }

  /**
   * Replaces the GPU use attributed to pids: memory from {@code nvidia-smi
   * --query-compute-apps} and SM utilisation from {@code pmon}, both summed per pid (a process
   * may use several GPUs). Call as often as nvidia-smi is run, e.g. once per heartbeat.
   */
  public synchronized void gpu(List<GpuProcess> processes, List<GpuProcessUtilization> utilization) {
    Map<Long, double[]> byPid = new HashMap<>();
    for (GpuProcess p : processes) {
      byPid.computeIfAbsent(p.pid(), k -> new double[2])[1] += p.usedMemoryMiB();
    }
    for (GpuProcessUtilization u : utilization) {
      byPid.computeIfAbsent(u.pid(), k -> new double[2])[0] += u.smPercent();
    }
    gpuByPid = byPid;
  }

  /** Drops what is remembered of {@code pgid}, once its group is gone for good. */
  public synchronized void forget(long pgid) {
    previous.remove(pgid);
  }

  private void scan(long now) {
    Map<Long, List<Member>> byGroup = new HashMap<>();
    for (long pid : proc.pids()) {
      Optional<ProcStat> stat = proc.stat(pid);
      if (stat.isPresent() && !stat.get().zombie()) {
        byGroup.computeIfAbsent(stat.get().processGroup(), k -> new ArrayList<>())
            .add(new Member(pid, stat.get()));
      }
    }
    groups = byGroup;
    scannedAt = now;
    scans++;
  }
}
