package org.openautoglm.oag.chaos.history;

/**
 * What a history event says about an operation, in Jepsen's terms: {@link #INVOKE} a client
 * started it; {@link #OK} it definitely happened; {@link #FAIL} it definitely did not; {@link
 * #INFO} it may or may not have happened (a timeout, a lost connection). Nemesis events are
 * recorded as {@link #INFO}: a fault's effect is never certain.
 */
public enum OpType {
  INVOKE,
  OK,
  FAIL,
  INFO;

  /** Whether this type ends an invoked operation. */
  public boolean isCompletion() {
    return this != INVOKE;
  }
}
