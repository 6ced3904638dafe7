package org.openautoglm.oag.chaos.check;

import java.util.Objects;

/**
 * How operations on a task's desired state are written into a history, so that the workload
 * that records them and the checkers that read them agree. Only clients write the desired
 * state (the scheduler and agents change a task's status and allocation, never this), which
 * makes it the field whose history must be linearizable.
 *
 * <ul>
 *   <li>{@code f} is {@value #PAUSE}, {@value #RESUME}, {@value #STOP} (writes) or {@value
 *       #READ}; {@code key} is the task id.
 *   <li>A write's INVOKE carries its request id as {@code value}. An attempt with an unknown
 *       outcome (INFO) is retried by the same process with the same request id, so all
 *       attempts of one request id form one logical write that took effect at most once,
 *       somewhere between its first invoke and its last completion.
 *   <li>A write's OK {@code value} is {@value #APPLIED} (the desired state is now what it
 *       asked for, or already was) or {@value #REFUSED} (FAILED_PRECONDITION: the task is
 *       being stopped, so pause and resume are refused; a definite outcome that says the state
 *       was {@code STOPPED}). FAIL means it definitely did not happen.
 *   <li>A read's OK {@code value} is {@link #readValue}: the desired state ({@code RUNNING},
 *       {@code PAUSED}, {@code STOPPED}) and the task's allocation generation (0 before its
 *       first placement), as in {@code "PAUSED 3"}. Reads are linearizable reads; a read that
 *       did not answer (FAIL or INFO) says nothing.
 * </ul>
 * A task submitted by the workload starts with desired state {@code RUNNING} and never ends
 * by itself (its command runs until stopped), so refusals come only from a stop.
 */
public final class DesiredOps {
  public static final String PAUSE = "pause";
  public static final String RESUME = "resume";
  public static final String STOP = "stop";
  public static final String READ = "read";
  public static final String APPLIED = "applied";
  public static final String REFUSED = "refused";

  /** The desired state of a task: what the register holds. */
  public enum Desired {
    RUNNING,
    PAUSED,
    STOPPED
  }

  /** What a read returned. */
  public record Read(Desired desired, long generation) {
    public Read {
      Objects.requireNonNull(desired, "desired");
      if (generation < 0) {
        throw new IllegalArgumentException("generation must be >= 0: " + generation);
      }
    }
  }

  private DesiredOps() {}

  /** Whether {@code f} is one of the writes. */
  public static boolean isWrite(String f) {
    return PAUSE.equals(f) || RESUME.equals(f) || STOP.equals(f);
  }

  /** Whether {@code f} is any operation on a task's desired state. */
  public static boolean isDesiredOp(String f) {
    return isWrite(f) || READ.equals(f);
  }

  /** The OK value of a read. */
  public static String readValue(Desired desired, long generation) {
    return new Read(desired, generation).desired().name() + " " + generation;
  }

  /** Parses a read's OK value; IllegalArgumentException when it is not one. */
  public static Read parseRead(String value) {
    if (value == null) {
      throw new IllegalArgumentException("a read's OK carries no value");
    }
    int space = value.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("not 'STATE GENERATION': " + value);
    }
    try {
      return new Read(Desired.valueOf(value.substring(0, space)),
          Long.parseLong(value.substring(space + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not 'STATE GENERATION': " + value, e);
    }
  }
}
