package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether one task's logical operations are linearizable against {@link DesiredRegister}: the
 * Wing and Gong search with Lowe's memo, as Porcupine does it.
 *
 * <p>How: every operation is a call entry and, unless its outcome is unknown, a return entry,
 * in one doubly linked list in real-time order. An operation may be linearized next when its
 * call comes before the first return in the list: nothing still to linearize returned before
 * it was invoked. The search walks the list from the head; at a call whose operation the model
 * accepts in the current state, and whose resulting configuration is new ({@link
 * SeenConfigurations}), it pushes the operation, lifts both its entries out of the list and
 * starts again from the head. At a return it is stuck: it pops the last operation, puts its
 * entries back and tries the call after it. All settled operations linearized means
 * linearizable (unknown ones may follow in any order: they accept any output); popping an
 * empty stack means not. An unknown operation has no return entry, so it may be linearized
 * anywhere after its call, or last, which is as good as never.
 *
 * <p>Single-use and not thread-safe. The deadline is checked every {@value #DEADLINE_EVERY}
 * steps, so a search overruns it by microseconds at most.
 */
final class LinearizationSearch {

  /** What a search concluded. */
  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    TIMEOUT
  }

  static final int DEADLINE_EVERY = 1024;

  private final List<DesiredOp> ops;
  private final int[] command;
  private final int[] output;
  private final boolean[] unknown;
  private final int[] bit; // an operation's position in the known or the unknown bit set
  private final int knownCount;
  private final int unknownCount;
  // The entry list: operation i's call is node 2i, its return 2i + 1; then two sentinels.
  private final int head;
  private final int tail;
  private final int[] next;
  private final int[] prev;

  private int longestKnown = -1;
  private int[] longestPrefix = new int[0];
  private int longestState = DesiredRegister.INITIAL;

  LinearizationSearch(List<DesiredOp> ops) {
    this.ops = List.copyOf(ops);
    int n = ops.size();
    command = new int[n];
    output = new int[n];
    unknown = new boolean[n];
    bit = new int[n];
    int known = 0;
    int unknowns = 0;
    List<Integer> entries = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      DesiredOp op = ops.get(i);
      command[i] = DesiredRegister.command(op);
      output[i] = DesiredRegister.output(op);
      unknown[i] = op.isUnknown();
      bit[i] = unknown[i] ? unknowns++ : known++;
      entries.add(2 * i);
      if (!unknown[i]) {
        entries.add(2 * i + 1);
      }
    }
    knownCount = known;
    unknownCount = unknowns;
    entries.sort(Comparator.comparing(this::moment));
    head = 2 * n;
    tail = 2 * n + 1;
    next = new int[2 * n + 2];
    prev = new int[2 * n + 2];
    int last = head;
    for (int entry : entries) {
      next[last] = entry;
      prev[entry] = last;
      last = entry;
    }
    next[last] = tail;
    prev[tail] = last;
  }

  /** Searches until a verdict or until {@code deadline} ({@link System#nanoTime()}) passes. */
  Verdict run(long deadline) {
    long[] known = new long[(knownCount + 63) / 64];
    long[] unknowns = new long[(unknownCount + 63) / 64];
    SeenConfigurations seen = new SeenConfigurations();
    int[] stackOp = new int[ops.size()];
    int[] stackState = new int[ops.size()];
    int depth = 0;
    int linearizedKnown = 0;
    int state = DesiredRegister.INITIAL;
    int entry = next[head];
    for (long steps = 0; ; steps++) {
      if (linearizedKnown > longestKnown) {
        longestKnown = linearizedKnown;
        longestPrefix = Arrays.copyOf(stackOp, depth);
        longestState = state;
      }
      if (linearizedKnown == knownCount) {
        return Verdict.LINEARIZABLE;
      }
      if (steps % DEADLINE_EVERY == 0 && System.nanoTime() - deadline >= 0) {
        return Verdict.TIMEOUT;
      }
      if (entry != tail && entry % 2 == 0) { // a call: try to linearize its operation now
        int op = entry / 2;
        int after = DesiredRegister.step(state, command[op], output[op]);
        if (after != DesiredRegister.MISMATCH) {
          long[] set = unknown[op] ? unknowns : known;
          flip(set, bit[op]);
          if (seen.add(known, after, unknowns)) {
            stackOp[depth] = op;
            stackState[depth] = state;
            depth++;
            linearizedKnown += unknown[op] ? 0 : 1;
            state = after;
            lift(op);
            entry = next[head];
            continue;
          }
          flip(set, bit[op]);
        }
        entry = next[entry];
      } else { // a return: that operation had to come before anything else left; undo one
        if (depth == 0) {
          return Verdict.NOT_LINEARIZABLE;
        }
        int op = stackOp[--depth];
        state = stackState[depth];
        flip(unknown[op] ? unknowns : known, bit[op]);
        linearizedKnown -= unknown[op] ? 0 : 1;
        unlift(op);
        entry = next[2 * op];
      }
    }
  }

  /**
   * After {@link Verdict#NOT_LINEARIZABLE}: the longest linearization found and the
   * operations none of which could go next, e.g. a read that saw a state the model was not in.
   */
  String explanation() {
    boolean[] done = new boolean[ops.size()];
    for (int op : longestPrefix) {
      done[op] = true;
    }
    Moment firstReturn = Moment.NEVER;
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && ops.get(i).ret().isBefore(firstReturn)) {
        firstReturn = ops.get(i).ret();
      }
    }
    List<DesiredOp> stuck = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (!done[i] && !unknown[i] && ops.get(i).call().isBefore(firstReturn)) {
        stuck.add(ops.get(i));
      }
    }
    List<DesiredOp> tailOfPrefix = new ArrayList<>();
    for (int k = Math.max(0, longestPrefix.length - 3); k < longestPrefix.length; k++) {
      tailOfPrefix.add(ops.get(longestPrefix[k]));
    }
    return "linearized at most " + longestKnown + " of " + knownCount + " settled ops"
        + (unknownCount > 0 ? " (and " + unknownCount + " unknown)" : "")
        + (tailOfPrefix.isEmpty() ? "" : ", ending " + list(tailOfPrefix, 3))
        + "; then in state " + DesiredRegister.name(longestState)
        + " none of these could go next: " + list(stuck, 5);
  }

  private static String list(List<DesiredOp> ops, int max) {
    String shown = ops.stream().limit(max).map(DesiredOp::toString)
        .collect(Collectors.joining("; ", "[", ""));
    return shown + (ops.size() > max ? "; +" + (ops.size() - max) + " more]" : "]");
  }

  private Moment moment(int entry) {
    DesiredOp op = ops.get(entry / 2);
    return entry % 2 == 0 ? op.call() : op.ret();
  }

  /** Takes operation {@code op}'s entries out of the list. */
  private void lift(int op) {
    remove(2 * op);
    if (!unknown[op]) {
      remove(2 * op + 1);
    }
  }

  /** Puts back what {@link #lift} took out, in reverse order. */
  private void unlift(int op) {
    if (!unknown[op]) {
      restore(2 * op + 1);
    }
    restore(2 * op);
  }

  private void remove(int entry) {
    next[prev[entry]] = next[entry];
    prev[next[entry]] = prev[entry];
  }

  private void restore(int entry) {
    next[prev[entry]] = entry;
    prev[next[entry]] = entry;
  }

  private static void flip(long[] set, int index) {
    set[index >>> 6] ^= 1L << index;
  }
}
