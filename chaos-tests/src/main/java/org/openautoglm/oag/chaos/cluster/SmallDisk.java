package org.openautoglm.oag.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.openautoglm.oag.chaos.Commands;

/**
 * A small tmpfs mounted on one node's data directory, so that the disk can be filled
 * without touching the machine's real disk. {@link #fill()} writes a filler file until the
 * file system refuses ({@code ENOSPC}); {@link #free()} deletes it. Needs root and a kernel
 * that lets this process mount; {@link #unavailable()} says why not.
 */
public final class SmallDisk implements AutoCloseable {
  private static final String FILLER = "disk-full.filler";
  private static volatile Optional<String> unavailable;

  private final Path mountPoint;
  private final long bytes;
  private boolean mounted;

  private SmallDisk(Path mountPoint, long bytes) {
    this.mountPoint = mountPoint;
    this.bytes = bytes;
  }

  /** Why tmpfs mounts are refused here, or empty when they work. Probed once per JVM. */
  public static Optional<String> unavailable() {
    Optional<String> u = unavailable;
    if (u == null) {
      u = probe();
      unavailable = u;
    }
    return u;
  }

  /** Mounts a tmpfs of {@code bytes} on {@code dir} (created when missing, and empty). */
  static SmallDisk mount(Path dir, long bytes) {
    unavailable().ifPresent(reason -> {
      throw new IllegalStateException("cannot mount a small disk: " + reason);
    });
    SmallDisk disk = new SmallDisk(dir, bytes);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Commands.check("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
    disk.mounted = true;
    return disk;
  }

  public Path mountPoint() {
    return mountPoint;
  }

  public long size() {
    return bytes;
  }

  /** Writes zeros to a filler file until the disk is full; returns the bytes written. */
  public long fill() {
    long written = 0;
    ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
    try (FileChannel ch = FileChannel.open(mountPoint.resolve(FILLER), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      while (written <= bytes) {
        zeros.clear();
        written += ch.write(zeros);
      }
    } catch (IOException e) {
      // "No space left on device": the point of the exercise.
    }
    return written;
  }

  /** Free bytes left on the disk. */
  public long freeBytes() {
    try {
      return Files.getFileStore(mountPoint).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the filler: the disk has room again. */
  public void free() {
    try {
      Files.deleteIfExists(mountPoint.resolve(FILLER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unmounts (the node using it must have exited). */
  @Override
  public synchronized void close() {
    if (mounted) {
      Commands.run("umount", "-l", mountPoint.toString());
      mounted = false;
    }
  }

  private static Optional<String> probe() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.of("not Linux");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("oag-chaos-mount-probe");
    } catch (IOException e) {
      return Optional.of("no temp directory: " + e.getMessage());
    }
    try {
      Commands.Result r = Commands.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString());
      if (!r.ok()) {
        return Optional.of("mount -t tmpfs refused: " + r.output());
      }
      Commands.run("umount", dir.toString());
      return Optional.empty();
    } finally {
      dir.toFile().delete();
    }
  }
}
