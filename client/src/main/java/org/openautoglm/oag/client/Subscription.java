package org.openautoglm.oag.client;

/**
 * A server stream ({@link CoordinatorClient#events}, {@link CoordinatorClient#logs}) being
 * delivered to a sink on a thread of its own.
 *
 * <p><b>Threading.</b> The sink is called on that one thread, in stream order, never
 * concurrently with itself. The stream ends when the server completes it, when it fails
 * for good, or when {@link #close()} is called; once {@code close()} returns the sink is not
 * called again (called from inside the sink, the stream ends when the sink returns).
 *
 * <p><b>Failures.</b> What ended a stream is thrown by {@link #await()}: an {@link
 * OagException} as the client's other calls throw them, or whatever the sink threw (which
 * also ends the stream). A stream ended by {@code close()} ended normally.
 */
public interface Subscription extends AutoCloseable {

  /**
   * Blocks until the stream has ended; returns normally when the server completed it or it
   * was closed, and throws what ended it otherwise. An interrupt of the waiting thread
   * closes the stream and returns, with the thread's interrupt flag set again.
   */
  void await();

  /** Whether the stream has ended (for whatever reason). */
  boolean isDone();

  /** Cancels the stream and waits for its thread to stop delivering. Idempotent. */
  @Override
  void close();
}
