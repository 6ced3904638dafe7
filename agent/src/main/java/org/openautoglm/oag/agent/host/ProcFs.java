package org.openautoglm.oag.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the Linux proc file system under a root ({@code /proc} on a host; a folder of fixture
 * files in tests), with the two kernel constants its numbers need: clock ticks per second
 * and the page size. Stateless and thread-safe.
 */
public final class ProcFs {
  /** What Linux uses on every architecture the agent runs on. */
  static final long DEFAULT_TICKS_PER_SECOND = 100;
  static final long DEFAULT_PAGE_BYTES = 4096;

  private final Path root;
  private final long ticksPerSecond;
  private final long pageBytes;

  public ProcFs(Path root, long ticksPerSecond, long pageBytes) {
    if (ticksPerSecond <= 0 || pageBytes <= 0) {
      throw new IllegalArgumentException("ticksPerSecond and pageBytes must be positive");
    }
    this.root = root;
    this.ticksPerSecond = ticksPerSecond;
    this.pageBytes = pageBytes;
  }

  /** This host's {@code /proc}. */
  public static ProcFs host() {
    return new ProcFs(Path.of("/proc"), DEFAULT_TICKS_PER_SECOND, DEFAULT_PAGE_BYTES);
  }

  public long ticksPerSecond() {
    return ticksPerSecond;
  }

  public long pageBytes() {
    return pageBytes;
  }

  /** The whole file {@code root/relative}, or empty when it does not exist (a process that exited). */
  public Optional<String> read(String relative) {
    try {
      return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The process's {@code stat}, or empty when there is no such process. */
  public Optional<ProcStat> stat(long pid) {
    return read(pid + "/stat").map(ProcStat::parse);
  }

  /** The pids of the processes that exist now (the numeric entries); empty when unreadable. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> entries = Files.list(root)) {
      entries.map(e -> e.getFileName().toString())
          .filter(n -> !n.isEmpty() && n.chars().allMatch(c -> c >= '0' && c <= '9'))
          .forEach(n -> pids.add(Long.parseLong(n)));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return pids;
  }

  /**
   * The process's environment as it was exec'd ({@code /proc/PID/environ}), or empty when
   * there is no such process or it is not ours to read. Bytes are read as ISO-8859-1, so any
   * content decodes; ASCII names and values come out unchanged.
   */
  public Optional<Map<String, String>> environ(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(root.resolve(pid + "/environ"));
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(raw, StandardCharsets.ISO_8859_1).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return Optional.of(env);
  }

  /** A value in kB from {@code meminfo}, e.g. {@code MemTotal}; empty when absent. */
  public Optional<Long> meminfoKiB(String key) {
    return read("meminfo").flatMap(text -> text.lines()
        .filter(l -> l.startsWith(key + ":"))
        .findFirst()
        .map(l -> Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0])));
  }

  /** Seconds since boot, from {@code uptime}. */
  public Optional<Double> uptimeSeconds() {
    return read("uptime").map(t -> Double.parseDouble(t.trim().split("\\s+")[0]));
  }
}
