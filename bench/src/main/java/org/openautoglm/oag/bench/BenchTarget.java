package org.openautoglm.oag.bench;

/**
 * The system under test, as the timing code sees it: connections that write records, and a
 * view of the cluster's leadership and replication progress.
 *
 * <p>Threading: implementations are thread-safe. Failures are unchecked exceptions of the
 * target's own client library; the timing code counts them by class name.
 */
public interface BenchTarget extends AutoCloseable {

  /**
   * Opens a new connection with its own client state (channels, leader cache), as one more
   * independent user of the cluster would. {@code name} is unique within the run and only
   * labels the connection. The caller closes it.
   */
  Writer openWriter(String name);

  /**
   * One look at the cluster: leader, term, members. Bounded in time (a few seconds);
   * throws when no member answers.
   */
  ClusterHealth health();

  /** Releases what {@link #health()} holds; writers are closed by their owners. */
  @Override
  void close();

  /** One connection to the cluster. Thread-safe. */
  interface Writer extends AutoCloseable {

    /**
     * Stores one new record named {@code key} (unique per run) carrying {@code payload};
     * returns once the cluster acknowledged it as committed, throws when it did not (after
     * the client's own retries).
     */
    void write(String key, String payload);

    /** Releases the connection; calls in flight fail. Idempotent. */
    @Override
    void close();
  }
}
