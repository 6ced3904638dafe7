package org.openautoglm.oag.agent.host;

/**
 * The fields of {@code /proc/PID/stat} the agent uses.
 *
 * @param state the kernel's state letter: R running, S sleeping, D disk wait, T stopped, Z zombie
 * @param processGroup the process group id
 * @param cpuTicks user plus system time, in clock ticks
 * @param startTicks when it started, in clock ticks after boot: with the pid, identifies the
 *     process (a reused pid has another start time)
 * @param rssPages resident memory, in pages
 */
public record ProcStat(char state, long processGroup, long cpuTicks, long startTicks, long rssPages) {
  /**
   * Parses a stat line. The command name (field 2) is in parentheses and may itself hold
   * spaces and parentheses, so fields are counted from the last ')'.
   */
  public static ProcStat parse(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state); field N is f[N - 3].
    return new ProcStat(f[0].charAt(0), Long.parseLong(f[5 - 3]),
        Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]), Long.parseLong(f[22 - 3]),
        Long.parseLong(f[24 - 3]));
  }

  /** Whether the process has ended and awaits reaping (or is being torn down). */
  public boolean zombie() {
    return state == 'Z' || state == 'X';
  }
}
