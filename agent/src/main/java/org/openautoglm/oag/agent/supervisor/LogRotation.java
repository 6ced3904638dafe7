package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

/**
 * Size-based rotation of an allocation's {@code stdout.log} and {@code stderr.log} by copy and
 * truncate: {@code .N-1} moves to {@code .N} (the oldest beyond {@code keep} is replaced), the
 * live file is copied to {@code .1}, then truncated to 0.
 *
 * <p>Why copy and truncate: the process holds the live file open, appending with {@code
 * O_APPEND} (the launcher's {@code Redirect.appendTo}), so it cannot be told to reopen a
 * renamed file; after the truncate its next write lands at the new end, offset 0, with no
 * hole. The price: what it writes between the copy and the truncate is lost.
 *
 * @param maxBytes a live file of at least this size is rotated; zero never rotates
 * @param keep how many rotated copies are kept; zero truncates without keeping any
 * @param checkEvery the supervisor checks sizes at most this often (on its step clock)
 */
public record LogRotation(long maxBytes, int keep, Duration checkEvery) {

  /** 16 MiB per file, three old copies, checked every 5 s. */
  public static final LogRotation DEFAULT = new LogRotation(16L << 20, 3, Duration.ofSeconds(5));

  /** Never rotates. */
  public static final LogRotation NONE = new LogRotation(0, 0, Duration.ofDays(1));

  public LogRotation {
    Objects.requireNonNull(checkEvery, "checkEvery");
    if (maxBytes < 0 || keep < 0 || checkEvery.isNegative()) {
      throw new IllegalArgumentException("maxBytes, keep and checkEvery must not be negative");
    }
  }

  /** Rotates {@code live} if it has reached {@code maxBytes}; whether it did. */
  public boolean rotateIfNeeded(Path live) throws IOException {
    long size;
    try {
      size = Files.size(live);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (maxBytes == 0 || size < maxBytes) {
      return false;
    }
    if (keep > 0) {
      for (int i = keep - 1; i >= 1; i--) {
        Path older = numbered(live, i);
        if (Files.exists(older)) {
          Files.move(older, numbered(live, i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.copy(live, numbered(live, 1), StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    return true;
  }

  /** {@code live} with {@code .n} appended, e.g. {@code stdout.log.1}. */
  public static Path numbered(Path live, int n) {
    return live.resolveSibling(live.getFileName() + "." + n);
  }
}
