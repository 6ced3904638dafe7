package org.openautoglm.oag.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memo of a linearization search (Lowe's improvement of Wing and Gong): the
 * configurations already reached, each the set of operations linearized so far and the model
 * state they led to. Reaching one again cannot lead anywhere new, so the search backtracks.
 *
 * <p>Why the two sets: an operation whose outcome is unknown never returns, so it may be
 * linearized at the very end, after every other, where it constrains nothing. A configuration
 * that has linearized a superset of the unknown operations of a seen one, with the same known
 * operations and state, can therefore reach nothing the seen one cannot: it is pruned too.
 * Without this, every unknown write would double the configurations for the rest of the
 * history; with it, a few unknown writes cost about as much as known ones.
 *
 * <p>Not thread-safe; one per search. Sets are bit sets as {@code long[]} words.
 */
final class SeenConfigurations {

  private final Map<Key, List<long[]>> seen = new HashMap<>();
  private int size;

  /**
   * Records the configuration unless a seen one covers it; true when it is new. The arrays
   * are copied when kept, so the caller may change them afterwards.
   */
  boolean add(long[] known, int state, long[] unknown) {
    Key key = new Key(known, state);
    List<long[]> unknownSets = seen.get(key);
    if (unknownSets == null) {
      unknownSets = new ArrayList<>(1);
      seen.put(new Key(known.clone(), state), unknownSets);
    } else {
      for (long[] seenUnknown : unknownSets) {
        if (subset(seenUnknown, unknown)) {
          return false;
        }
      }
      // Seen sets that this one covers can never prune anything this one does not.
      size -= unknownSets.size();
      unknownSets.removeIf(seenUnknown -> subset(unknown, seenUnknown));
      size += unknownSets.size();
    }
    unknownSets.add(unknown.clone());
    size++;
    return true;
  }

  /** How many configurations are kept. */
  int size() {
    return size;
  }

  private static boolean subset(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & ~b[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The known operations linearized and the state; the array is not copied. */
  private static final class Key {
    private final long[] known;
    private final int state;
    private final int hash;

    Key(long[] known, int state) {
      this.known = known;
      this.state = state;
      this.hash = Arrays.hashCode(known) * 31 + state;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.state == state && Arrays.equals(k.known, known);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
