package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;

/**
 * Turns the attempts of a history's operations on desired states ({@link DesiredOps}) into
 * logical operations, per task: what a linearizability checker needs, since a retried write is
 * one write that took effect at most once.
 *
 * <ul>
 *   <li>A write is one attempt or a run of attempts of one process with the same {@code f},
 *       task and request id, each retrying one that ended in INFO (or was left without a
 *       completion). Its call is the first attempt's invoke. An OK settles it: its return is
 *       that OK, its outcome the OK's value. A run that ends in INFO or without completion has
 *       an unknown outcome and never returns ({@link Moment#NEVER}). A FAIL on the first
 *       attempt means the write never happened: it is dropped. A FAIL after an INFO proves
 *       nothing about the earlier attempt, so the outcome is unknown.
 *   <li>A read is one attempt; only an OK read says something, the rest are dropped.
 * </ul>
 * The process's next operation on a desired state ends a run; its other operations (a
 * submit) do not. Nemesis events and other client operations are ignored. A malformed history
 * (see {@link Calls}), an operation with no task id, a write with no request id or an OK with
 * a value not in the convention throws {@link IllegalArgumentException}.
 */
final class DesiredHistory {

  private DesiredHistory() {}

  /**
   * The logical operations of {@code history} per task id, tasks in the order first invoked,
   * each task's operations in call order; tasks left with none are absent.
   */
  static Map<String, List<DesiredOp>> byTask(List<Op> history) {
    Map<String, List<DesiredOp>> byTask = new LinkedHashMap<>();
    Map<Integer, Attempts> open = new HashMap<>(); // process -> its write being retried
    for (Call c : Calls.of(history)) {
      Op invoke = c.invoke();
      if (!DesiredOps.isDesiredOp(invoke.f())) {
        continue;
      }
      if (invoke.key() == null) {
        throw new IllegalArgumentException("op " + c.index() + " names no task: " + invoke);
      }
      List<DesiredOp> ops = byTask.computeIfAbsent(invoke.key(), k -> new ArrayList<>());
      Attempts attempts = open.remove(invoke.process());
      if (attempts != null && !attempts.retriedBy(invoke)) {
        byTask.get(attempts.first.key()).add(attempts.unknown());
        attempts = null;
      }
      if (DesiredOps.isWrite(invoke.f())) {
        attempts = attempts != null ? attempts : new Attempts(c);
        attempt(c, attempts, ops, open);
      } else if (c.is(OpType.OK)) {
        Op ok = c.completion();
        ops.add(new DesiredOp(invoke.process(), invoke.f(), invoke.key(), null,
            new Moment(invoke.time(), c.index()), new Moment(ok.time(), c.completionIndex()),
            null, read(ok, c)));
      }
    }
    for (Attempts attempts : open.values()) {
      byTask.get(attempts.first.key()).add(attempts.unknown());
    }
    Map<String, List<DesiredOp>> result = new LinkedHashMap<>();
    for (Map.Entry<String, List<DesiredOp>> e : byTask.entrySet()) {
      if (!e.getValue().isEmpty()) {
        e.getValue().sort(Comparator.comparing(DesiredOp::call));
        result.put(e.getKey(), List.copyOf(e.getValue()));
      }
    }
    return result;
  }

  /** Adds one attempt of a write: settles it, drops it, or leaves it open for a retry. */
  private static void attempt(
      Call c, Attempts attempts, List<DesiredOp> ops, Map<Integer, Attempts> open) {
    Op done = c.completion();
    if (done == null || done.type() == OpType.INFO) {
      attempts.indeterminate = true;
      open.put(c.invoke().process(), attempts);
    } else if (done.type() == OpType.OK) {
      ops.add(attempts.settled(written(done, c), new Moment(done.time(), c.completionIndex())));
    } else if (attempts.indeterminate) { // FAIL after INFO: the earlier attempt may have applied
      ops.add(attempts.unknown());
    } // FAIL first time: it never happened
  }

  private static DesiredOps.Read read(Op ok, Call c) {
    try {
      return DesiredOps.parseRead(ok.value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("op " + c.completionIndex() + ": " + e.getMessage(), e);
    }
  }

  private static String written(Op ok, Call c) {
    if (DesiredOps.APPLIED.equals(ok.value()) || DesiredOps.REFUSED.equals(ok.value())) {
      return ok.value();
    }
    throw new IllegalArgumentException("op " + c.completionIndex()
        + ": a write's OK must be " + DesiredOps.APPLIED + " or " + DesiredOps.REFUSED + ": " + ok);
  }

  /** The attempts of one logical write so far. */
  private static final class Attempts {
    final Op first;
    final Moment call;
    boolean indeterminate; // some attempt ended in INFO or without completion

    Attempts(Call c) {
      first = c.invoke();
      call = new Moment(first.time(), c.index());
      if (first.value() == null) {
        throw new IllegalArgumentException(
            "op " + c.index() + ": a write carries no request id: " + first);
      }
    }

    boolean retriedBy(Op invoke) {
      return first.f().equals(invoke.f()) && first.key().equals(invoke.key())
          && first.value().equals(invoke.value());
    }

    DesiredOp settled(String written, Moment ret) {
      return new DesiredOp(
          first.process(), first.f(), first.key(), first.value(), call, ret, written, null);
    }

    DesiredOp unknown() {
      return settled(null, Moment.NEVER);
    }
  }
}
