package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;

/**
 * Checks the {@value #SUBMIT} operations of a history against the tasks a final read found:
 * every acknowledged request is stored, under the task id it was acknowledged with; no request
 * id is stored twice (the idempotency key held across retries); a request whose every attempt
 * failed is not stored; and nothing is stored that no client asked for.
 *
 * <p>An indeterminate attempt (INFO, or no completion) may or may not have applied, so it
 * allows either outcome. A FAIL after an indeterminate attempt of the same id proves nothing
 * about the earlier attempt, so such an id counts as indeterminate, not failed.
 *
 * <p>A pure function of its arguments. Tasks read twice (same task id) count once. Other
 * client operations and nemesis events are ignored; a malformed history (a completion with no
 * outstanding invoke, a submit with no request id) throws {@link IllegalArgumentException}.
 */
public final class SubmitChecker {

  /** The operation name of a submit in the history. */
  public static final String SUBMIT = "submit";

  private SubmitChecker() {}

  /** Checks {@code history} against {@code finalState}. */
  public static SubmitResult check(List<Op> history, Collection<StoredTask> finalState) {
    Map<String, Outcome> outcomes = outcomes(history);
    Map<String, Set<String>> storedByRequest = new LinkedHashMap<>();
    Map<String, String> requestByTask = new LinkedHashMap<>();
    for (StoredTask t : finalState) {
      requestByTask.putIfAbsent(t.taskId(), t.requestId());
      if (t.requestId() != null) {
        storedByRequest.computeIfAbsent(t.requestId(), r -> new LinkedHashSet<>()).add(t.taskId());
      }
    }

    int ok = 0;
    int failed = 0;
    List<String> lost = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    List<String> failedButApplied = new ArrayList<>();
    for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
      String id = e.getKey();
      Outcome o = e.getValue();
      Set<String> stored = storedByRequest.getOrDefault(id, Set.of());
      if (o.acked) {
        ok++;
        if (stored.isEmpty() || !ackedTasksStored(id, o.ackedTaskIds, requestByTask)) {
          lost.add(id);
        }
      } else if (o.allFailed) {
        failed++;
        if (!stored.isEmpty()) {
          failedButApplied.add(id);
        }
      }
      if (stored.size() > 1 || o.ackedTaskIds.size() > 1) {
        duplicated.add(id);
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : storedByRequest.entrySet()) {
      if (!outcomes.containsKey(e.getKey())) {
        unexpected.add(e.getKey());
        if (e.getValue().size() > 1) {
          duplicated.add(e.getKey());
        }
      }
    }
    int indeterminate = outcomes.size() - ok - failed;
    return new SubmitResult(
        outcomes.size(), ok, failed, indeterminate, lost, duplicated, failedButApplied,
        unexpected);
  }

  /** What the attempts of one request id came to. */
  private static final class Outcome {
    boolean acked;
    boolean allFailed = true;
    final Set<String> ackedTaskIds = new LinkedHashSet<>();
  }

  private static Map<String, Outcome> outcomes(List<Op> history) {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Call c : Calls.of(history)) {
      if (!SUBMIT.equals(c.invoke().f())) {
        continue;
      }
      String id = c.invoke().key();
      if (id == null) {
        throw new IllegalArgumentException("submit with no request id: " + c.invoke());
      }
      Outcome o = outcomes.computeIfAbsent(id, k -> new Outcome());
      if (c.is(OpType.OK)) {
        o.acked = true;
        if (c.completion().value() != null) {
          o.ackedTaskIds.add(c.completion().value());
        }
      }
      o.allFailed &= c.is(OpType.FAIL);
    }
    return outcomes;
  }

  /** Whether every task id {@code id} was acknowledged with is stored and not under another id. */
  private static boolean ackedTasksStored(
      String id, Set<String> ackedTaskIds, Map<String, String> requestByTask) {
    for (String taskId : ackedTaskIds) {
      if (!requestByTask.containsKey(taskId)) {
        return false;
      }
      String storedUnder = requestByTask.get(taskId);
      if (storedUnder != null && !Objects.equals(storedUnder, id)) {
        return false;
      }
    }
    return true;
  }
}
