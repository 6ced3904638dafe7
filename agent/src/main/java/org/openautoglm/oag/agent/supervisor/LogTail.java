package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an allocation's output for {@code task logs}: the last bytes of a file, then, to
 * follow it, the bytes written since an offset. It keeps no state and starts no threads: the
 * caller keeps the offset and polls.
 *
 * <p>A file shorter than the offset was truncated by a {@link LogRotation} (its earlier bytes
 * went to {@code .1}); reading restarts from 0 and says so. Bytes written between the
 * previous poll and the truncate are in {@code .1}, not re-read here. Chunks are raw bytes and
 * may split a multi-byte character; {@link Chunk#text()} decodes leniently.
 */
public final class LogTail {

  /** Which of an allocation's output files. */
  public enum Stream {
    STDOUT, STDERR;

    public Path file(AllocationDir dir) {
      return this == STDOUT ? dir.stdoutFile() : dir.stderrFile();
    }
  }

  /**
   * Bytes read from a log.
   *
   * @param bytes what was read, possibly none
   * @param nextOffset where the next {@link #since} call continues
   * @param restarted whether the file had been truncated, so reading started again at 0
   */
  public record Chunk(byte[] bytes, long nextOffset, boolean restarted) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private LogTail() {}

  /** The last at most {@code maxBytes} of {@code file}; empty (offset 0) when it does not exist. */
  public static Chunk last(Path file, int maxBytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long from = Math.max(0, size - Math.max(0, maxBytes));
      return read(ch, from, (int) (size - from), false);
    } catch (NoSuchFileException e) {
      return new Chunk(new byte[0], 0, false);
    }
  }

  /**
   * At most {@code maxBytes} written to {@code file} at or after {@code offset} (from 0 if the
   * file is now shorter than that).
   */
  public static Chunk since(Path file, long offset, int maxBytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      boolean restarted = size < offset;
      long from = restarted ? 0 : offset;
      return read(ch, from, (int) Math.min(Math.max(0, maxBytes), size - from), restarted);
    } catch (NoSuchFileException e) {
      return new Chunk(new byte[0], 0, offset > 0);
    }
  }

  private static Chunk read(FileChannel ch, long from, int length, boolean restarted)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, from + buf.position()) < 0) {
        break;
      }
    }
    byte[] bytes = new byte[buf.position()];
    buf.flip().get(bytes);
    return new Chunk(bytes, from + bytes.length, restarted);
  }
}
