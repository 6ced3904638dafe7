package org.openautoglm.oag.agent.lease;

import java.util.Optional;

/**
 * One lease file's content: which process group the keeper guards and until when.
 *
 * @param pgid the group, which is also its leader's pid
 * @param startTicks the leader's start time ({@code /proc/PID/stat} field 22): the keeper
 *     kills the group only while the leader with this pid has this start time
 * @param deadlineNanos when the lease lapses, on {@code CLOCK_MONOTONIC} in nanoseconds, which
 *     is what {@link System#nanoTime()} reads on Linux HotSpot in every JVM on the host
 */
public record LeaseFile(long pgid, long startTicks, long deadlineNanos) {

  /** Whether the lease still holds at {@code nowNanos} (compared by difference). */
  public boolean valid(long nowNanos) {
    return nowNanos - deadlineNanos < 0;
  }

  String format() {
    return pgid + " " + startTicks + " " + deadlineNanos + "\n";
  }

  /** The content of a lease file, or empty when it is not one (torn files cannot occur). */
  static Optional<LeaseFile> parse(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LeaseFile(Long.parseLong(f[0]), Long.parseLong(f[1]),
          Long.parseLong(f[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
