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
    Optional<String> stat = proc.read(pid + "/stat");
    if (stat.isEmpty()) {
      previous.remove(pid);
      return Optional.empty();
    }
    Stat s = Stat.parse(stat.get());
    long now = nanoClock.getAsLong();
    Previous before = previous.put(pid, new Previous(s.startTicks, s.cpuTicks, now));
    double cpu = 0;
    if (before != null && before.startTicks == s.startTicks && now > before.atNanos) {
      double seconds = (now - before.atNanos) / 1e9;
      cpu = 100.0 * (s.cpuTicks - before.cpuTicks) / proc.ticksPerSecond() / seconds;
    }
    double uptime = proc.uptimeSeconds().map(u -> u - (double) s.startTicks / proc.ticksPerSecond()).orElse(0.0);
    return Optional.of(new ProcessSample(pid, s.state, s.startTicks, Math.max(0, cpu),
        s.rssPages * proc.pageBytes() / (1024 * 1024), Math.max(0, uptime)));
  }

  /** Drops what is remembered of {@code pid}. */
  public void forget(long pid) {
    previous.remove(pid);
  }

  /** The fields of {@code /proc/PID/stat} used here. */
  record Stat(char state, long cpuTicks, long startTicks, long rssPages) {
    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself hold
     * spaces and parentheses, so fields are counted from the last ')'.
     */
    static Stat parse(String line) {
      int close = line.lastIndexOf(')');
      if (close < 0) {
        throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
      }
      String[] f = line.substring(close + 1).trim().split("\\s+");
      // f[0] is field 3 (state); field N is f[N - 3].
      long utime = Long.parseLong(f[14 - 3]);
      long stime = Long.parseLong(f[15 - 3]);
      long start = Long.parseLong(f[22 - 3]);
      long rss = Long.parseLong(f[24 - 3]);
      return new Stat(f[0].charAt(0), utime + stime, start, rss);
    }
  }
}
