package org.openautoglm.oag.agent.session;

import org.openautoglm.oag.agent.v1.LogData;

/**
 * Where the answers to a log request go: one session's stream. Thread-safe. Once the session
 * has ended, {@link #isOpen()} is false and {@link #send} drops what it is given.
 */
public interface LogSink {
  /** Whether the session still runs. */
  boolean isOpen();

  /** Whether the stream can take more now without buffering (gRPC flow control). */
  boolean isReady();

  /** Queues {@code data} on the session's stream, in the order of the calls. */
  void send(LogData data);
}
