package org.openautoglm.oag.coordinator.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * An open RocksDB with its column families and every native object it needs,
 * closed together in reverse order of creation. Writes go with the WAL off
 * (the Raft log is the write-ahead log) and {@code atomic_flush} on, so a
 * flush persists all column families as of one point. Memory is bounded by
 * one LRU block cache shared by all column families, to which a write-buffer
 * manager charges the memtables.
 *
 * <p>Thread-safe as RocksDB is, until {@link #close()}; the caller must not
 * close while another thread uses it.
 */
final class RocksHandles implements AutoCloseable {

  static final String TASKS = "tasks";
  static final String DEDUPE = "dedupe";
  static final String META = "meta";
  static final String NODES = "nodes";
  static final String EVENTS = "events";
  /** Families of this layout; jobs is created empty for a later table. */
  static final List<String> FAMILIES = List.of(TASKS, DEDUPE, META, NODES, "jobs", EVENTS);

  static {
    RocksDB.loadLibrary();
  }

  private final Deque<AutoCloseable> natives;  // closed last-in first-out
  private final RocksDB db;
  private final Map<String, ColumnFamilyHandle> families;
  private final WriteOptions writeOptions;

  private RocksHandles(Deque<AutoCloseable> natives, RocksDB db,
      Map<String, ColumnFamilyHandle> families, WriteOptions writeOptions) {
    this.natives = natives;
    this.db = db;
    this.families = families;
    this.writeOptions = writeOptions;
  }

  /** Opens, creating the database and any missing family; also opens families a newer build added. */
  static RocksHandles open(Path dir, StoreSettings settings) throws IOException {
    Files.createDirectories(dir);
    Deque<AutoCloseable> natives = new ArrayDeque<>();
    try {
      LRUCache cache = push(natives, new LRUCache(settings.blockCacheBytes()));
      WriteBufferManager buffers =
          push(natives, new WriteBufferManager(settings.writeBufferBytes(), cache));
      DBOptions dbOptions = push(natives, new DBOptions()
          .setCreateIfMissing(true)
          .setCreateMissingColumnFamilies(true)
          .setAtomicFlush(true)
          .setAvoidFlushDuringShutdown(false)
          .setWriteBufferManager(buffers)
          .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
          .setKeepLogFileNum(4)
          .setMaxLogFileSize(16L << 20));
      BloomFilter filter = push(natives, new BloomFilter(10));
      // Index and filter blocks live in the cache too, so the cache bounds them as well.
      BlockBasedTableConfig table = new BlockBasedTableConfig()
          .setBlockCache(cache)
          .setFilterPolicy(filter)
          .setCacheIndexAndFilterBlocks(true)
          .setPinL0FilterAndIndexBlocksInCache(true);
      ColumnFamilyOptions cfOptions = push(natives, new ColumnFamilyOptions().setTableFormatConfig(table));
      WriteOptions writeOptions = push(natives, new WriteOptions().setDisableWAL(true));
      List<String> names = familyNames(dir, true);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors(names, cfOptions), handles);
      natives.push(db);
      handles.forEach(natives::push);  // handles close before the db
      return new RocksHandles(natives, db, byName(names, handles), writeOptions);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(natives);
      throw new IOException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens read-only, with default options, every family present. */
  static RocksHandles openReadOnly(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no database at " + dir);
    }
    Deque<AutoCloseable> natives = new ArrayDeque<>();
    try {
      DBOptions dbOptions = push(natives, new DBOptions());
      ColumnFamilyOptions cfOptions = push(natives, new ColumnFamilyOptions());
      List<String> names = familyNames(dir, false);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors(names, cfOptions), handles);
      natives.push(db);
      handles.forEach(natives::push);
      return new RocksHandles(natives, db, byName(names, handles), null);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(natives);
      throw new IOException("cannot open RocksDB at " + dir + " read-only: " + e.getMessage(), e);
    }
  }

  ColumnFamilyHandle family(String name) {
    ColumnFamilyHandle handle = families.get(name);
    if (handle == null) {
      throw new IllegalArgumentException("no column family " + name);
    }
    return handle;
  }

  /** One row, or null when absent (or the family does not exist, in an older checkpoint). */
  byte[] get(String family, byte[] key) throws IOException {
    ColumnFamilyHandle handle = families.get(family);
    try {
      return handle == null ? null : db.get(handle, key);
    } catch (RocksDBException e) {
      throw new IOException("RocksDB read failed: " + e.getMessage(), e);
    }
  }

  /** Visits every row of {@code family} in key order. */
  void scan(String family, RowVisitor visitor) throws IOException {
    try (RocksIterator it = db.newIterator(family(family))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visitor.visit(it.key(), it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("RocksDB scan of " + family + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Visits rows of {@code family} in key order from the first key at or after {@code from}
   * while the visitor returns true.
   */
  void scanFrom(String family, byte[] from, RowWhile visitor) throws IOException {
    try (RocksIterator it = db.newIterator(family(family))) {
      for (it.seek(from); it.isValid(); it.next()) {
        if (!visitor.visit(it.key(), it.value())) {
          break;
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("RocksDB scan of " + family + " failed: " + e.getMessage(), e);
    }
  }

  /** Visitor of {@link #scanFrom}: returns whether to go on. */
  @FunctionalInterface
  interface RowWhile {
    boolean visit(byte[] key, byte[] value) throws IOException;
  }

  /** Visitor of {@link #scan}. */
  @FunctionalInterface
  interface RowVisitor {
    void visit(byte[] key, byte[] value) throws IOException;
  }

  /** Writes {@code batch} atomically, without WAL. */
  void write(WriteBatch batch) throws IOException {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IOException("RocksDB write failed: " + e.getMessage(), e);
    }
  }

  /** Flushes every family's memtable to disk as of one point, and waits. */
  void flush() throws IOException {
    try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
      db.flush(options, new ArrayList<>(families.values()));
    } catch (RocksDBException e) {
      throw new IOException("RocksDB flush failed: " + e.getMessage(), e);
    }
  }

  /** Writes a checkpoint (hard links where possible) into {@code target}, which must not exist. */
  void checkpoint(Path target) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new IOException("RocksDB checkpoint into " + target + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeAll(natives);
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> natives, T handle) {
    natives.push(handle);
    return handle;
  }

  private static void closeAll(Deque<AutoCloseable> natives) {
    while (!natives.isEmpty()) {
      AutoCloseable handle = natives.pop();
      try {
        if (handle instanceof RocksDB db) {
          db.closeE();
        } else {
          handle.close();
        }
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(RocksHandles.class)
            .warn("event=rocksdb_close_failed handle={} error=\"{}\"", handle.getClass().getSimpleName(), e.getMessage());
      }
    }
  }

  /**
   * "default", then this layout's families when {@code withLayout}, then every
   * other family already in the database (one a newer build added must be
   * opened too, or RocksDB refuses to open at all).
   */
  private static List<String> familyNames(Path dir, boolean withLayout) throws RocksDBException {
    List<String> names = new ArrayList<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, UTF_8));
    if (withLayout) {
      names.addAll(FAMILIES);
    }
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return names;  // a new database
    }
    try (Options options = new Options()) {
      for (byte[] existing : RocksDB.listColumnFamilies(options, dir.toString())) {
        String name = new String(existing, UTF_8);
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static List<ColumnFamilyDescriptor> descriptors(List<String> names, ColumnFamilyOptions options) {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(UTF_8), options));
    }
    return descriptors;
  }

  private static Map<String, ColumnFamilyHandle> byName(List<String> names, List<ColumnFamilyHandle> handles) {
    Map<String, ColumnFamilyHandle> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), handles.get(i));
    }
    return map;
  }
}
