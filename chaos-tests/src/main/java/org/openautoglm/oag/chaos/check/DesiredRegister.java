package org.openautoglm.oag.chaos.check;

import org.openautoglm.oag.chaos.check.DesiredOps.Desired;

/**
 * The sequential specification of one task's desired state, what a linearizable history must
 * be explainable by. It starts {@link Desired#RUNNING}. A pause makes it {@link
 * Desired#PAUSED} and a resume {@link Desired#RUNNING}, both answering {@link
 * DesiredOps#APPLIED}, unless it is {@link Desired#STOPPED}: then they answer {@link
 * DesiredOps#REFUSED} and change nothing. A stop always applies and makes it {@link
 * Desired#STOPPED} for good. A read answers the state (its generation is another checker's
 * business: {@link GenerationChecker}).
 *
 * <p>States are {@link Desired} ordinals and operations small codes ({@link #command}), so
 * the search steps through it without allocating.
 */
final class DesiredRegister {

  /** The state a submitted task starts in. */
  static final int INITIAL = Desired.RUNNING.ordinal();
  /** What {@link #step} answers when the model's output is not the recorded one. */
  static final int MISMATCH = -1;
  /** The output of a write whose outcome is unknown: any output matches it. */
  static final int ANY = -1;

  static final int PAUSE = 0;
  static final int RESUME = 1;
  static final int STOP = 2;
  static final int READ = 3;

  private static final int APPLIED = 0;
  private static final int REFUSED = 1;
  private static final int PAUSED = Desired.PAUSED.ordinal();
  private static final int RUNNING = Desired.RUNNING.ordinal();
  private static final int STOPPED = Desired.STOPPED.ordinal();

  private DesiredRegister() {}

  /** The code of {@code op}'s operation. */
  static int command(DesiredOp op) {
    return switch (op.f()) {
      case DesiredOps.PAUSE -> PAUSE;
      case DesiredOps.RESUME -> RESUME;
      case DesiredOps.STOP -> STOP;
      case DesiredOps.READ -> READ;
      default -> throw new IllegalArgumentException("not a desired-state op: " + op);
    };
  }

  /** The code of what {@code op} returned: a state for a read, {@link #ANY} when unknown. */
  static int output(DesiredOp op) {
    if (op.isRead()) {
      return op.read().desired().ordinal();
    }
    if (op.isUnknown()) {
      return ANY;
    }
    return DesiredOps.APPLIED.equals(op.written()) ? APPLIED : REFUSED;
  }

  /**
   * The state after {@code command} in {@code state}, or {@link #MISMATCH} when the model
   * would answer something other than {@code output}.
   */
  static int step(int state, int command, int output) {
    int answer;
    int next;
    switch (command) {
      case PAUSE, RESUME -> {
        answer = state == STOPPED ? REFUSED : APPLIED;
        next = state == STOPPED ? state : (command == PAUSE ? PAUSED : RUNNING);
      }
      case STOP -> {
        answer = APPLIED;
        next = STOPPED;
      }
      default -> {
        answer = state;
        next = state;
      }
    }
    return output == ANY || output == answer ? next : MISMATCH;
  }

  /** The name of a state code. */
  static String name(int state) {
    return Desired.values()[state].name();
  }
}
