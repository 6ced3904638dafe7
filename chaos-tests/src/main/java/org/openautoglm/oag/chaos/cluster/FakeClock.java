package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The wall clock of one coordinator JVM, faked by libfaketime (Debian package {@code
 * faketime}) so that the harness can jump it while the process runs. Only the wall clock
 * moves ({@code System.currentTimeMillis}, {@code Instant.now}, what the leader stamps into
 * commands): monotonic clocks ({@code System.nanoTime}, timed waits, which Ratis, gRPC and the
 * leases use) stay real.
 *
 * <p>The JVM runs with these variables ({@link #environment()}):
 * <ul>
 *   <li>{@code LD_PRELOAD=}{@value #LIBRARY} (the thread-safe build);
 *   <li>{@code FAKETIME_TIMESTAMP_FILE=}this clock's file, holding one line, the offset from
 *       real time in whole seconds: {@code +0}, {@code +600}, {@code -600};
 *   <li>{@code FAKETIME_NO_CACHE=1}: the file is read at every wall-clock read, so a jump
 *       takes effect at once (about 3 µs a read; the default cache would delay it by up to
 *       10 s);
 *   <li>{@code FAKETIME_DONT_FAKE_MONOTONIC=1}: monotonic clocks stay real; without it the
 *       JVM hangs, its timed waits running on the monotonic clock;
 *   <li>{@code FAKETIME_FORCE_MONOTONIC_FIX=0}: without it libfaketime 0.9.10 rewrites the
 *       JVM's monotonic timed waits so that they return early and the JVM spins on them:
 *       measured here, a coordinator took 20 s instead of 6 s to start under load, and
 *       {@code oag --help} 5 s of CPU instead of 1 (libfaketime issue 425);
 *   <li>{@code NO_FAKE_STAT=1}: file times stay real; only clock reads move.
 * </ul>
 * The file is replaced by an atomic rename, so the library never reads half of it. Tried on
 * OpenJDK 17 with libfaketime 0.9.10 (Debian 12): {@code currentTimeMillis} follows the file
 * forwards and backwards, while sleeps, {@code Object.wait}, {@code parkNanos} and scheduled
 * executors keep their real periods and the JVM uses no more CPU than without the library.
 *
 * <p>libfaketime also creates a semaphore and a shared memory segment per process in {@code
 * /dev/shm}, named for its pid, and removes them only at a normal exit; {@link #release}
 * removes those of a process killed with SIGKILL, since a later process given the same pid
 * (pids wrap at 32768 here) could fail to start under the library.
 *
 * <p>Thread-safe.
 */
public final class FakeClock {
  /** Where Debian's {@code faketime} package puts the thread-safe preload library. */
  public static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
  /**
   * How long after {@link #set} the JVM may still read the old offset: the library rereads the
   * file at each read, so this only covers a read already under way.
   */
  public static final Duration TAKES_EFFECT_WITHIN = Duration.ofSeconds(1);
  private static final Path SHM = Path.of("/dev/shm");

  private final Path file;
  private Duration offset = Duration.ZERO;

  /** A clock whose offset lives in {@code file}; written now as {@code +0}. */
  FakeClock(Path file) {
    this.file = file;
    write(Duration.ZERO);
  }

  /** Why the wall clock cannot be faked here (the library is missing), or empty when it can. */
  public static Optional<String> unavailable() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("not Linux");
    }
    if (!Files.isReadable(Path.of(LIBRARY))) {
      return Optional.of(LIBRARY + " is missing (Debian package faketime; .ci/run installs it)");
    }
    return Optional.empty();
  }

  /** The environment that makes a JVM read its wall clock through this file. */
  public Map<String, String> environment() {
    return Map.of("LD_PRELOAD", LIBRARY, "FAKETIME_TIMESTAMP_FILE", file.toString(),
        "FAKETIME_NO_CACHE", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        "FAKETIME_FORCE_MONOTONIC_FIX", "0", "NO_FAKE_STAT", "1");
  }

  public Path file() {
    return file;
  }

  /**
   * From now on (at the JVM's next clock read) the wall clock reads real time plus
   * {@code offset}, whatever offset it had before: {@code set(10 min)} then {@code
   * set(-10 min)} jumps it back 20 minutes. Whole seconds only.
   */
  public synchronized void set(Duration offset) {
    if (offset.getNano() != 0) {
      throw new IllegalArgumentException("whole seconds only, was " + offset);
    }
    write(offset);
    this.offset = offset;
  }

  /** Back to real time. */
  public void reset() {
    set(Duration.ZERO);
  }

  /** The offset last set. */
  public synchronized Duration offset() {
    return offset;
  }

  /**
   * Removes what libfaketime left in {@code /dev/shm} for process {@code pid}, unless that pid
   * runs (then it is not ours to clean, or not gone yet). Call it once a process started with
   * {@link #environment()} has ended.
   */
  public static void release(long pid) {
    if (pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return;
    }
    for (String name : new String[] {"faketime_shm_" + pid, "sem.faketime_sem_" + pid}) {
      try {
        Files.deleteIfExists(SHM.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + SHM.resolve(name), e);
      }
    }
  }

  /** {@code +600}, {@code -600}, {@code +0}: libfaketime's relative offset in seconds. */
  static String format(Duration offset) {
    long s = offset.getSeconds();
    return (s < 0 ? "-" : "+") + Math.abs(s);
  }

  private void write(Duration offset) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(tmp, format(offset) + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
