package org.openautoglm.oag.agent.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link LogReader} over a plain, append-only file. The file is opened per read, so one that
 * does not exist yet (an allocation that has not launched) reads as empty until it appears;
 * a file that shrank below the position (truncated or replaced) is read again from its start.
 * Rotation with a renamed predecessor is not followed: what went to the old file after the
 * last read is lost to the reader.
 */
public final class FileLogReader implements LogReader {
  /** The default {@link LogReader.Opener}. */
  public static final LogReader.Opener OPENER = FileLogReader::new;

  private final Path file;
  private long position;

  public FileLogReader(Path file, long tailBytes) throws IOException {
    this.file = file;
    long size = size();
    this.position = tailBytes < 0 ? 0 : Math.max(0, size - tailBytes);
  }

  @Override
  public int read(byte[] buffer) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < position) {
        position = 0;
      }
      ByteBuffer buf = ByteBuffer.wrap(buffer);
      int total = 0;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, position + total);
        if (n <= 0) {
          break;
        }
        total += n;
      }
      position += total;
      return total;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private long size() throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.size();
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    // Nothing is held open between reads.
  }
}
