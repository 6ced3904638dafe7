package org.openautoglm.oag.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.openautoglm.oag.chaos.history.Op;
import org.openautoglm.oag.chaos.history.OpType;

/**
 * Recovery figures from a history. For each nemesis inject: the time from it to the first OK
 * of a client write (any op but a {@value DesiredOps#READ}) invoked after it (recorded after
 * it), or unrecovered when none came before the history ends. After the last heal: an OK of an op invoked after it must come within
 * {@code bound} of the heal, and every op invoked after it must finish within {@code bound} of
 * its invoke — an OK slower than that, a FAIL or INFO that took longer, or an op still pending
 * longer at the end of the history, is a violation. A fast FAIL or INFO is not one by itself.
 *
 * <p>A pure function of its arguments; for the bound after the heal all client operations
 * count, reads too, whatever their name. A
 * malformed history throws {@link IllegalArgumentException} (see {@link SubmitChecker}).
 */
public final class RecoveryChecker {

  /** Violations listed one by one; the rest are counted in one more line. */
  public static final int MAX_LISTED = 20;

  private RecoveryChecker() {}

  /** Checks {@code history} against {@code bound}. */
  public static RecoveryResult check(List<Op> history, Duration bound) {
    Objects.requireNonNull(bound, "bound");
    if (bound.isNegative()) {
      throw new IllegalArgumentException("bound must not be negative: " + bound);
    }
    FirstOks firstOks = new FirstOks(Calls.of(history));
    List<Duration> recoveries = new ArrayList<>();
    int unrecovered = 0;
    int lastHeal = -1;
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      if (op.isInject()) {
        long ok = firstOks.after(i);
        if (ok == FirstOks.NONE) {
          unrecovered++;
        } else {
          recoveries.add(Duration.ofNanos(ok - op.time()));
        }
      } else if (op.isHeal()) {
        lastHeal = i;
      }
    }
    List<Duration> sorted = new ArrayList<>(recoveries);
    Collections.sort(sorted);

    AfterHeal after = lastHeal < 0 ? null : afterHeal(history, lastHeal, firstOks, bound);
    return new RecoveryResult(
        recoveries,
        unrecovered,
        nearestRank(sorted, 50),
        nearestRank(sorted, 100),
        after == null ? Duration.ZERO : Duration.ofNanos(after.worst),
        after == null ? List.of() : after.violations);
  }

  /**
   * The nearest-rank percentile of {@code sorted} (ascending): the value at rank {@code
   * ceil(percent / 100 * n)}, counting from 1, so p50 of 4 values is the 2nd and p100 the
   * largest. Zero when {@code sorted} is empty.
   */
  public static Duration nearestRank(List<Duration> sorted, int percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
    }
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  private static final class AfterHeal {
    long worst;
    int violated;
    final List<String> violations = new ArrayList<>();

    void violation(String line) {
      violated++;
      if (violated <= MAX_LISTED) {
        violations.add(line);
      }
    }
  }

  private static AfterHeal afterHeal(
      List<Op> history, int healIndex, FirstOks firstOks, Duration bound) {
    Op heal = history.get(healIndex);
    long limit = bound.toNanos();
    long end = history.get(history.size() - 1).time();
    AfterHeal a = new AfterHeal();
    long firstOk = firstOks.after(healIndex);
    if (firstOk == FirstOks.NONE) {
      a.violation("no write invoked after the last heal (" + describe(heal) + ") succeeded");
    } else if (firstOk - heal.time() > limit) {
      a.violation("first write OK " + ms(firstOk - heal.time()) + " after the last heal ("
          + describe(heal) + "), bound " + ms(limit));
    }
    for (Call c : firstOks.calls) {
      if (c.index() <= healIndex) {
        continue;
      }
      long elapsed = c.elapsed(end);
      if (c.is(OpType.OK)) {
        a.worst = Math.max(a.worst, elapsed);
      }
      if (elapsed > limit) {
        String outcome = c.completion() == null
            ? "still pending at the end"
            : c.completion().type().name().toLowerCase(Locale.ROOT)
                + (c.completion().error() == null ? "" : " (" + c.completion().error() + ")");
        a.violation(describe(c.invoke()) + " took " + ms(elapsed) + " after the last heal, bound "
            + ms(limit) + ": " + outcome);
      }
    }
    if (a.violated > MAX_LISTED) {
      a.violations.add((a.violated - MAX_LISTED) + " more violations");
    }
    return a;
  }

  private static String describe(Op op) {
    return (op.isNemesis() ? "nemesis" : "process " + op.process()) + " " + op.f() + " "
        + op.key() + " at " + ms(op.time());
  }

  private static String ms(long nanos) {
    return Duration.ofNanos(nanos).toMillis() + " ms";
  }

  /**
   * The earliest OK time among writes invoked after a history index, by binary search over
   * calls (in invoke order) and a suffix minimum of their OK times.
   */
  private static final class FirstOks {
    static final long NONE = Long.MAX_VALUE;
    final List<Call> calls;
    private final long[] suffixMin;

    FirstOks(List<Call> calls) {
      this.calls = calls;
      suffixMin = new long[calls.size() + 1];
      suffixMin[calls.size()] = NONE;
      for (int k = calls.size() - 1; k >= 0; k--) {
        Call c = calls.get(k);
        long ok = c.is(OpType.OK) && !DesiredOps.READ.equals(c.invoke().f())
            ? c.completion().time() : NONE;
        suffixMin[k] = Math.min(ok, suffixMin[k + 1]);
      }
    }

    /** The earliest OK of a write invoked after history index {@code index}, or NONE. */
    long after(int index) {
      int lo = 0;
      int hi = calls.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (calls.get(mid).index() > index) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return suffixMin[lo];
    }
  }
}
