package org.openautoglm.oag.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time over a window, read from Linux's {@code /proc}: the whole machine's busy time
 * and that of a set of processes, so the rest ("foreign" load: other users of a shared
 * machine) can be told apart from the systems under test and the load generator itself.
 *
 * <p>Busy time is user + nice + system + irq + softirq + steal from {@code /proc/stat};
 * a process's time is utime + stime from {@code /proc/<pid>/stat}. A process that exits
 * during the window counts for the time it had at the start only, so foreign load is then
 * overstated, never hidden. Where {@code /proc} cannot be read, {@link #start} returns null.
 */
final class CpuMeter {
  /** Clock ticks per second of /proc's counters; 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final Path STAT = Path.of("/proc/stat");

  private CpuMeter() {}

  /** Starts a window over the machine and {@code pids}; null where /proc is unreadable. */
  static Window start(Collection<Long> pids) {
    Long busy = machineBusyTicks();
    if (busy == null) {
      return null;
    }
    Map<Long, Long> start = new LinkedHashMap<>();
    for (long pid : pids) {
      Long t = processTicks(pid);
      if (t != null) {
        start.put(pid, t);
      }
    }
    return new Window(System.nanoTime(), busy, start);
  }

  /** CPU use over a window, in cores (1.0 = one core busy for the whole window). */
  record Usage(double machineCores, double ownCores) {
    /** What the machine spent on anything but the measured processes; never negative. */
    double foreignCores() {
      return Math.max(0, round2(machineCores - ownCores));
    }
  }

  /** An open window; {@link #stop} may be called once. */
  static final class Window {
    private final long startNanos;
    private final long startBusy;
    private final Map<Long, Long> startTicks;

    private Window(long startNanos, long startBusy, Map<Long, Long> startTicks) {
      this.startNanos = startNanos;
      this.startBusy = startBusy;
      this.startTicks = startTicks;
    }

    /** The usage since {@link #start}; null where /proc became unreadable. */
    Usage stop() {
      Long busy = machineBusyTicks();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      if (busy == null || seconds <= 0) {
        return null;
      }
      long own = 0;
      for (Map.Entry<Long, Long> e : startTicks.entrySet()) {
        Long now = processTicks(e.getKey());
        if (now != null && now >= e.getValue()) {
          own += now - e.getValue();
        }
      }
      return new Usage(round2((busy - startBusy) / TICKS_PER_SECOND / seconds),
          round2(own / TICKS_PER_SECOND / seconds));
    }
  }

  static Long machineBusyTicks() {
    try {
      for (String line : Files.readAllLines(STAT, StandardCharsets.US_ASCII)) {
        if (line.startsWith("cpu ")) {
          return parseBusy(line);
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The busy ticks of a {@code /proc/stat} "cpu" line. */
  static long parseBusy(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    // cpu user nice system idle iowait irq softirq steal ...
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      if (i < f.length) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  static Long processTicks(long pid) {
    try {
      return parseProcessTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
          StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * utime + stime of a {@code /proc/<pid>/stat} line. The command name (field 2) is in
   * parentheses and may itself hold spaces and parentheses, so fields are counted from the
   * last ')'.
   */
  static long parseProcessTicks(String statLine) {
    String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state); utime is field 14, stime field 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
