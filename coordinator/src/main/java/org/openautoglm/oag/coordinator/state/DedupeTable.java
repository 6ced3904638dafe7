package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.openautoglm.oag.state.v1.DedupeRecord;

/**
 * The committed idempotency table: the rows live in RocksDB's dedupe column
 * family; memory holds only each key's first-apply time, in a map for lookups
 * and in age order for cheap eviction. Rebuilt from RocksDB on open.
 *
 * <p>Threading: apply thread only, except {@link #size()}.
 */
final class DedupeTable {

  /** Reads one committed row by key; null when absent. */
  @FunctionalInterface
  interface RowReader {
    byte[] read(byte[] key) throws IOException;
  }

  /** A key's place in the eviction order. */
  record Aged(long timeMs, String key) implements Comparable<Aged> {
    @Override
    public int compareTo(Aged o) {
      int c = Long.compare(timeMs, o.timeMs);
      return c != 0 ? c : key.compareTo(o.key);
    }
  }

  private final RowReader rows;
  private final Map<String, Long> timeByKey = new HashMap<>();  // lookups only, never iterated
  private final TreeSet<Aged> byAge = new TreeSet<>();
  private volatile int size;

  DedupeTable(RowReader rows) {
    this.rows = rows;
  }

  /** The committed row for {@code key}, or null. */
  DedupeRecord committed(String key) throws IOException {
    if (!timeByKey.containsKey(key)) {
      return null;  // the common case, a new request, costs no RocksDB read
    }
    byte[] row = rows.read(Keys.dedupeKeyBytes(key));
    if (row == null) {
      throw new IOException("dedupe row missing for an indexed key");
    }
    return Records.parse(DedupeRecord.parser(), row, "dedupe");
  }

  /** Committed keys, oldest first. Do not modify through it. */
  Iterator<Aged> oldestFirst() {
    return byAge.iterator();
  }

  /** Records a committed row: {@code row} null means deleted. */
  void publish(String key, DedupeRecord row) {
    Long old = timeByKey.remove(key);
    if (old != null) {
      byAge.remove(new Aged(old, key));
    }
    if (row != null) {
      timeByKey.put(key, row.getTimeMs());
      byAge.add(new Aged(row.getTimeMs(), key));
    }
    size = timeByKey.size();
  }

  int size() {
    return size;
  }
}
