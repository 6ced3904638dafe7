package org.openautoglm.oag.bench;

/**
 * A benchmark that cannot go on: the cluster did not settle in time, a process could not be
 * verified, a helper script failed. The message says what and where; it is meant for the
 * operator, on one line.
 */
public class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchException(String message) {
    super(message);
  }

  public BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
