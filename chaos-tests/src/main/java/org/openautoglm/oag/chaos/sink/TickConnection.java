package org.openautoglm.oag.chaos.sink;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads tick lines from one reporter connection until it ends, on its own thread.
 *
 * <p>Each complete line is reported as a tick or as malformed; a malformed line is skipped and
 * the connection goes on. The connection ends only on end of stream, an I/O error, {@link
 * #close} or a line over {@link TaskGeneration#MAX_LINE_BYTES} (counted as malformed). An
 * unfinished line at end of stream is malformed too: a killed reporter never ticked it.
 */
final class TickConnection implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(TickConnection.class);

  private final Socket socket;
  private final SocketAddress remote;
  private final Consumer<TaskGeneration> onTick;
  private final Runnable onMalformed;
  private long malformed;

  /** Both callbacks run on the connection's thread. */
  TickConnection(Socket socket, Consumer<TaskGeneration> onTick, Runnable onMalformed) {
    this.socket = socket;
    this.remote = socket.getRemoteSocketAddress();
    this.onTick = onTick;
    this.onMalformed = onMalformed;
  }

  /** Ends the connection from another thread; {@link #run} then returns. */
  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("event=tick_connection_close_failed remote={}", remote, e);
    }
  }

  @Override
  public void run() {
    try (socket; InputStream in = new BufferedInputStream(socket.getInputStream())) {
      readLines(in);
    } catch (IOException e) {
      // A reset from a killed reporter or our own close(): either way the run is over.
      log.debug("event=tick_connection_failed remote={} cause={}", remote, e.toString());
    }
    log.debug("event=tick_connection_closed remote={} malformed={}", remote, malformed);
  }

  private void readLines(InputStream in) throws IOException {
    byte[] line = new byte[TaskGeneration.MAX_LINE_BYTES];
    int length = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        handle(line, length);
        length = 0;
      } else if (length == line.length) {
        malformed("line_too_long");
        return;
      } else {
        line[length++] = (byte) b;
      }
    }
    if (length > 0) {
      malformed("unfinished_line");
    }
  }

  private void handle(byte[] line, int length) {
    TaskGeneration.parse(line, length)
        .ifPresentOrElse(onTick, () -> malformed("unparsable_line"));
  }

  private void malformed(String reason) {
    malformed++;
    onMalformed.run();
    // A misconfigured reporter repeats itself every 50 ms: say so once per connection.
    if (malformed == 1) {
      log.warn("event=tick_malformed remote={} reason={}", remote, reason);
    } else {
      log.debug("event=tick_malformed remote={} reason={} count={}", remote, reason, malformed);
    }
  }
}
