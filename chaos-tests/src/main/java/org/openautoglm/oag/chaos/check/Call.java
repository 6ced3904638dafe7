package org.openautoglm.oag.chaos.check;

import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;

/**
 * One client operation: its invoke, at {@code index} in the history, and its completion, at
 * {@code completionIndex}; null and -1 when none was recorded (the run ended, or the process
 * invoked again without completing).
 */
record Call(int index, Op invoke, Op completion, int completionIndex) {

  boolean is(OpType type) {
    return completion != null && completion.type() == type;
  }

  /** Nanoseconds from invoke to completion, or to {@code endTime} when none was recorded. */
  long elapsed(long endTime) {
    return (completion != null ? completion.time() : endTime) - invoke.time();
  }
}
