package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openautoglm.oag.chaos.history.Op;

/**
 * Pairs each client invoke with its completion. A process has at most one outstanding
 * operation, so a completion belongs to that process's latest invoke; an invoke followed by
 * another invoke of the same process is left without completion (indeterminate). A completion
 * with no outstanding invoke, or naming another operation, is a harness bug and throws {@link
 * IllegalArgumentException}: no checker can say what it means.
 */
final class Calls {

  private Calls() {}

  /** The client operations of {@code history}, in invoke order. */
  static List<Call> of(List<Op> history) {
    List<Op> invokes = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    List<Op> completions = new ArrayList<>();
    List<Integer> completionIndexes = new ArrayList<>();
    Map<Integer, Integer> outstanding = new HashMap<>(); // process -> position in invokes
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      if (op.isNemesis()) {
        continue;
      }
      if (!op.type().isCompletion()) {
        outstanding.put(op.process(), invokes.size());
        invokes.add(op);
        indexes.add(i);
        completions.add(null);
        completionIndexes.add(-1);
        continue;
      }
      Integer at = outstanding.remove(op.process());
      if (at == null) {
        throw new IllegalArgumentException("op " + i + " completes nothing: " + op);
      }
      Op invoke = invokes.get(at);
      if (!invoke.f().equals(op.f()) || !Objects.equals(invoke.key(), op.key())) {
        throw new IllegalArgumentException(
            "op " + i + " does not complete its process's invoke " + invoke + ": " + op);
      }
      completions.set(at, op);
      completionIndexes.set(at, i);
    }
    List<Call> calls = new ArrayList<>(invokes.size());
    for (int k = 0; k < invokes.size(); k++) {
      calls.add(new Call(
          indexes.get(k), invokes.get(k), completions.get(k), completionIndexes.get(k)));
    }
    return calls;
  }
}
