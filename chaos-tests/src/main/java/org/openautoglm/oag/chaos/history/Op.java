package org.openautoglm.oag.chaos.history;

import java.util.Objects;

/**
 * One history event, immutable.
 *
 * <p>{@code process} is the client worker number ({@code >= 0}), or {@link #NEMESIS} for a
 * fault. {@code f} is the operation name ({@code "submit"}, or the fault name for a nemesis
 * event, e.g. {@code "kill-leader"}). {@code key} is the request id for client events; for
 * nemesis events the target (e.g. {@code "c2"} or {@code "c1|c2,c3"}). {@code value} is the
 * task id on an {@code OK} of a submit, what an operation on a task's desired state carries
 * and returns ({@link org.openautoglm.oag.chaos.check.DesiredOps}), {@link #INJECT} or {@link
 * #HEAL} (or the nemesis's "not-injected") for a nemesis event, else null. {@code error} is a short message on {@code FAIL} and {@code INFO}, else null.
 * {@code time} is nanoseconds since the history's start, on the harness's monotonic clock.
 *
 * <p>A client process has at most one outstanding operation: a completion ({@code OK}, {@code
 * FAIL}, {@code INFO}) belongs to that process's latest {@code INVOKE}.
 */
public record Op(
    long time, int process, OpType type, String f, String key, String value, String error) {

  /** The process number of nemesis (fault) events. */
  public static final int NEMESIS = -1;
  /** The {@code value} of a nemesis event that starts a fault. */
  public static final String INJECT = "inject";
  /** The {@code value} of a nemesis event that ends a fault. */
  public static final String HEAL = "heal";

  public Op {
    if (process < NEMESIS) {
      throw new IllegalArgumentException("process must be >= 0 or NEMESIS: " + process);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
  }

  /** Whether this is a fault event rather than a client operation. */
  public boolean isNemesis() {
    return process == NEMESIS;
  }

  /** Whether this nemesis event starts a fault. */
  public boolean isInject() {
    return isNemesis() && INJECT.equals(value);
  }

  /** Whether this nemesis event ends a fault. */
  public boolean isHeal() {
    return isNemesis() && HEAL.equals(value);
  }
}
