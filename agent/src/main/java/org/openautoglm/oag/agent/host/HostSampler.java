package org.openautoglm.oag.agent.host;

/**
 * Samples host CPU, memory and load from /proc. CPU is a rate, so it is measured between two
 * calls: busy jiffies over all jiffies of the aggregate {@code cpu} line of {@code stat}
 * (idle and iowait count as idle). One instance per sampling loop; not thread-safe.
 */
public final class HostSampler {
  private final ProcFs proc;
  private long lastTotal = -1;
  private long lastIdle;

  public HostSampler(ProcFs proc) {
    this.proc = proc;
  }

  public HostSample sample() {
    long[] cpu = cpuJiffies();
    double cpuPercent = 0;
    if (lastTotal >= 0 && cpu[0] > lastTotal) {
      cpuPercent = 100.0 * (1.0 - (double) (cpu[1] - lastIdle) / (cpu[0] - lastTotal));
    }
    lastTotal = cpu[0];
    lastIdle = cpu[1];
    long total = proc.meminfoKiB("MemTotal").orElse(0L);
    long available = proc.meminfoKiB("MemAvailable").orElse(total);
    double load1 = proc.read("loadavg").map(t -> Double.parseDouble(t.trim().split("\\s+")[0])).orElse(0.0);
    return new HostSample(Math.max(0, Math.min(100, cpuPercent)), (total - available) / 1024, total / 1024,
        load1);
  }

  /** {total, idle} jiffies of the aggregate cpu line: user nice system idle iowait irq softirq steal. */
  private long[] cpuJiffies() {
    String line = proc.read("stat").flatMap(t -> t.lines().filter(l -> l.startsWith("cpu ")).findFirst())
        .orElseThrow(() -> new IllegalStateException("no cpu line in stat"));
    String[] f = line.trim().split("\\s+");
    long total = 0;
    // Fields 1-8; guest time (9, 10) is already counted in user and nice.
    for (int i = 1; i <= 8 && i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total, idle};
  }
}
