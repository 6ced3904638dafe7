package org.openautoglm.oag.coordinator;

import java.io.IOException;

/**
 * One coordinator node: its Ratis server over the RocksDB state, the gRPC API
 * and the HTTP surface. {@link #start} returns once every listener is bound;
 * the node may still be electing a leader. {@link #close} hands leadership
 * to another member first when this node leads, then stops everything.
 * Thread-safe.
 */
public final class Coordinator implements AutoCloseable {

  private Coordinator() {}

  public static Coordinator start(CoordinatorConfig config) throws IOException {
    throw new UnsupportedOperationException("wired in the next step");
  }

  public String nodeId() {
    throw new UnsupportedOperationException();
  }

  /** host:port of the gRPC API actually bound. */
  public String apiAddress() {
    throw new UnsupportedOperationException();
  }

  /** The bound HTTP port, or -1 when HTTP is off. */
  public int httpPort() {
    throw new UnsupportedOperationException();
  }

  public boolean isLeader() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException();
  }
}
