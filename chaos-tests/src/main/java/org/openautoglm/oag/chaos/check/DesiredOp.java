package org.openautoglm.oag.chaos.check;

import org.openautoglm.oag.chaos.check.DesiredOps.Read;

/**
 * One logical operation on a task's desired state, built by {@link DesiredHistory} from the
 * attempts that carried it: it took effect at most once, somewhere between {@code call} (its
 * first attempt's invoke) and {@code ret} (the completion that settled it, {@link
 * Moment#NEVER} when none did).
 *
 * @param process the client process that ran every attempt
 * @param f {@link DesiredOps#PAUSE}, {@link DesiredOps#RESUME}, {@link DesiredOps#STOP} or
 *     {@link DesiredOps#READ}
 * @param task the task id
 * @param requestId a write's request id; null for a read
 * @param call the first attempt's invoke
 * @param ret the settling completion, or {@link Moment#NEVER} when the outcome is unknown
 * @param written a write's outcome, {@link DesiredOps#APPLIED} or {@link DesiredOps#REFUSED};
 *     null for a read and for a write whose outcome is unknown
 * @param read what a read returned; null for a write
 */
record DesiredOp(
    int process,
    String f,
    String task,
    String requestId,
    Moment call,
    Moment ret,
    String written,
    Read read) {

  boolean isRead() {
    return DesiredOps.READ.equals(f);
  }

  /** A write that may or may not have taken effect: no attempt settled it. */
  boolean isUnknown() {
    return !isRead() && written == null;
  }

  /** Whether this returned before {@code other} was invoked (real-time order). */
  boolean precedes(DesiredOp other) {
    return ret.isBefore(other.call);
  }

  /** E.g. {@code "p2 pause r7 -> applied [1.000ms, 2.500ms]"}, for reports. */
  @Override
  public String toString() {
    String out;
    if (isRead()) {
      out = read.desired() + " " + read.generation();
    } else {
      out = isUnknown() ? "unknown" : written;
    }
    String id = requestId == null ? "" : " " + requestId;
    return "p" + process + " " + f + id + " -> " + out + " [" + call + ", " + ret + "]";
  }
}
