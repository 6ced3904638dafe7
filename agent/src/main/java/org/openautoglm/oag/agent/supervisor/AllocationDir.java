package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The folder {@code DATA/allocations/<allocationId>/} that holds everything the agent knows
 * about one allocation, so that it survives an agent restart:
 *
 * <ul>
 *   <li>{@code allocation.properties}: the {@link Allocation}, written before anything starts;
 *   <li>{@code stdout.log}, {@code stderr.log}: the command's output, appended;
 *   <li>{@code pid}: {@code "<pid> <startTicks>"} of the process group leader (the wrapper);
 *   <li>{@code exit}: the command's exit status, written by the wrapper when it ends (128 +
 *       signal for a signal death);
 *   <li>{@code supervision.properties}, {@code status.properties}: the restart policy and
 *       thresholds, and the last status, kept by the supervisor for re-adoption;
 *   <li>{@code stdout.log.N}, {@code stderr.log.N}: rotated output (see {@link LogRotation}).
 * </ul>
 *
 * <p>Record and pid files are replaced atomically (temp file, fsync, rename, fsync of the
 * folder), so a reader sees the old or the new content, never a torn one. Instances are
 * immutable; the files are not locked, one agent owns a data dir.
 */
public final class AllocationDir {
  static final String RECORD = "allocation.properties";
  static final String STDOUT = "stdout.log";
  static final String STDERR = "stderr.log";
  static final String PID = "pid";
  static final String EXIT = "exit";
  static final String COMMAND_PID = "command.pid";

  private final Path root;
  private final Allocation allocation;

  private AllocationDir(Path root, Allocation allocation) {
    this.root = root;
    this.allocation = allocation;
  }

  /** The identity of a started process: a pid alone may be reused, pid and start time not. */
  public record PidRecord(long pid, long startTicks) {}

  /**
   * Creates the folder (if needed) and durably writes the allocation's record, replacing any
   * earlier one. Call before starting anything.
   */
  public static AllocationDir create(Path data, Allocation a) throws IOException {
    Path root = folder(data, a.allocationId());
    Files.createDirectories(root);
    writeAtomically(root.resolve(RECORD), toText(a));
    return new AllocationDir(root, a);
  }

  /** The folder of an allocation persisted earlier, or empty when there is no readable record. */
  public static Optional<AllocationDir> open(Path data, String allocationId) throws IOException {
    Path root = folder(data, allocationId);
    return readRecord(root).map(a -> new AllocationDir(root, a));
  }

  /**
   * Every allocation persisted under {@code data}, by id: what a restarted agent re-adopts
   * (see {@link AllocationSupervisor#adopt}). Folders without a readable record are skipped.
   */
  public static List<AllocationDir> list(Path data) throws IOException {
    Path parent = data.resolve("allocations");
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    List<String> ids;
    try (Stream<Path> entries = Files.list(parent)) {
      ids = entries.filter(Files::isDirectory).map(e -> e.getFileName().toString()).sorted().toList();
    }
    List<AllocationDir> dirs = new ArrayList<>();
    for (String id : ids) {
      try {
        open(data, id).ifPresent(dirs::add);
      } catch (IOException | IllegalArgumentException e) {
        // A corrupt record: nothing to adopt; its orphans, if any, are found by OAG_ALLOC_ID.
      }
    }
    return dirs;
  }

  /** The allocation persisted under {@code data}, or empty when there is none. */
  public static Optional<Allocation> read(Path data, String allocationId) throws IOException {
    return readRecord(folder(data, allocationId));
  }

  public Allocation allocation() {
    return allocation;
  }

  public Path path() {
    return root;
  }

  public Path stdoutFile() {
    return root.resolve(STDOUT);
  }

  public Path stderrFile() {
    return root.resolve(STDERR);
  }

  public Path pidFile() {
    return root.resolve(PID);
  }

  public Path exitFile() {
    return root.resolve(EXIT);
  }

  /** Where the wrapper writes the pid of the command it started (its child). */
  public Path commandPidFile() {
    return root.resolve(COMMAND_PID);
  }

  /** The pid of the current run's command, once the wrapper has recorded it. */
  public Optional<Long> commandPid() {
    return readSmall(commandPidFile()).flatMap(text -> {
      try {
        return Optional.of(Long.parseLong(text.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  /** The exit status the wrapper recorded, or empty while the command runs (or if it was killed with the wrapper). */
  public Optional<Integer> exitStatus() {
    return readSmall(exitFile()).flatMap(text -> {
      try {
        return Optional.of(Integer.parseInt(text.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  /** The pid file's content, or empty when absent or unreadable. */
  public Optional<PidRecord> pid() {
    return readSmall(pidFile()).flatMap(text -> {
      String[] f = text.trim().split("\\s+");
      try {
        return f.length == 2
            ? Optional.of(new PidRecord(Long.parseLong(f[0]), Long.parseLong(f[1])))
            : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  void writePid(PidRecord record) throws IOException {
    writeAtomically(pidFile(), record.pid() + " " + record.startTicks() + "\n");
  }

  /** Drops the outcome of an earlier run, so that a new launch does not report it. */
  void clearExit() throws IOException {
    Files.deleteIfExists(exitFile());
    Files.deleteIfExists(commandPidFile());
    Files.deleteIfExists(root.resolve(EXIT + ".tmp"));
  }

  private static Path folder(Path data, String allocationId) {
    if (allocationId.isEmpty() || allocationId.contains("/") || allocationId.equals(".")
        || allocationId.equals("..")) {
      throw new IllegalArgumentException("not an allocation id: " + allocationId);
    }
    return data.resolve("allocations").resolve(allocationId);
  }

  private static Optional<Allocation> readRecord(Path root) throws IOException {
    String text;
    try {
      text = Files.readString(root.resolve(RECORD), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(fromText(text));
  }

  private static Optional<String> readSmall(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String toText(Allocation a) {
    Properties p = new Properties();
    p.setProperty("allocationId", a.allocationId());
    p.setProperty("taskId", a.taskId());
    p.setProperty("generation", Long.toString(a.generation()));
    if (a.workingDir() != null) {
      p.setProperty("workingDir", a.workingDir());
    }
    p.setProperty("command.size", Integer.toString(a.command().size()));
    for (int i = 0; i < a.command().size(); i++) {
      p.setProperty("command." + i, a.command().get(i));
    }
    a.env().forEach((k, v) -> p.setProperty("env." + k, v));
    StringWriter out = new StringWriter();
    try {
      p.store(out, "oag allocation");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static Allocation fromText(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    try {
      int size = Integer.parseInt(required(p, "command.size"));
      List<String> command = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        command.add(required(p, "command." + i));
      }
      Map<String, String> env = new HashMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith("env.")) {
          env.put(key.substring("env.".length()), p.getProperty(key));
        }
      }
      return new Allocation(required(p, "allocationId"), required(p, "taskId"),
          Long.parseLong(required(p, "generation")), command, env, p.getProperty("workingDir"));
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt allocation record: " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  /** Replaces {@code target} durably: temp file, fsync, atomic rename, fsync of the folder. */
  static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
