package org.openautoglm.oag.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * The CLI's stdout: a PrintWriter for text that can also pass bytes through unchanged
 * (task output, which need not be text in the platform's charset). Text written before a
 * {@link #writeBytes} is flushed first, so the two keep their order.
 */
final class RawPrintWriter extends PrintWriter {
  private final OutputStream stream;

  RawPrintWriter(OutputStream stream, Charset charset) {
    super(new OutputStreamWriter(stream, charset), true);
    this.stream = stream;
  }

  void writeBytes(byte[] data) {
    synchronized (lock) {
      flush();
      try {
        stream.write(data);
        stream.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
