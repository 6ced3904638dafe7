package org.openautoglm.oag.agent.session;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one output file of an allocation forward, from where the previous read stopped.
 * {@link FileLogReader} reads a plain file; a reader that follows rotation can replace it
 * through {@link Opener}. Not thread-safe: one reader serves one request at a time.
 */
public interface LogReader extends Closeable {

  /** Opens a reader positioned {@code tailBytes} before the current end of a file. */
  @FunctionalInterface
  interface Opener {
    /**
     * @param tailBytes how much of what is already there to read first; 0 for nothing (only
     *     what is appended from now on), negative for everything
     */
    LogReader open(Path file, long tailBytes) throws IOException;
  }

  /**
   * Fills {@code buffer} with up to its length of the next bytes and returns how many; 0 when
   * there is nothing new yet (including while the file does not exist).
   */
  int read(byte[] buffer) throws IOException;

  @Override
  void close() throws IOException;
}
