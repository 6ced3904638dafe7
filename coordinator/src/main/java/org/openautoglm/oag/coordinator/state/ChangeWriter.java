package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.util.Map;
import org.openautoglm.oag.state.v1.DedupeRecord;
import org.openautoglm.oag.state.v1.EventRecord;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes one batch's changes (tasks, dedupe rows, nodes, new events and the
 * purge of the oldest) and its new MetaRecord in a single RocksDB WriteBatch,
 * so the applied index on disk always matches the data it covers.
 */
final class ChangeWriter {

  private ChangeWriter() {}

  static void write(RocksHandles rocks, WorkingSet ws, MetaRecord meta) throws IOException {
    ColumnFamilyHandle taskFamily = rocks.family(RocksHandles.TASKS);
    ColumnFamilyHandle dedupeFamily = rocks.family(RocksHandles.DEDUPE);
    ColumnFamilyHandle nodeFamily = rocks.family(RocksHandles.NODES);
    ColumnFamilyHandle eventFamily = rocks.family(RocksHandles.EVENTS);
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<Long, TaskRecord> e : ws.taskChanges().entrySet()) {
        byte[] key = Keys.taskKey(e.getKey());
        if (e.getValue() == null) {
          batch.delete(taskFamily, key);
        } else {
          batch.put(taskFamily, key, Records.toBytes(e.getValue()));
        }
      }
      for (Map.Entry<String, DedupeRecord> e : ws.dedupeChanges().entrySet()) {
        byte[] key = Keys.dedupeKeyBytes(e.getKey());
        if (e.getValue() == null) {
          batch.delete(dedupeFamily, key);
        } else {
          batch.put(dedupeFamily, key, Records.toBytes(e.getValue()));
        }
      }
      for (NodeRecord node : ws.nodeChanges().values()) {
        batch.put(nodeFamily, Keys.nodeKey(node.getId()), Records.toBytes(node));
      }
      for (EventLog.Run run : ws.purgedEvents()) {
        for (int position = run.first(); position < run.end(); position++) {
          batch.delete(eventFamily, Keys.eventKey(run.index(), position));
        }
      }
      for (EventRecord event : ws.newEvents()) {
        batch.put(eventFamily, Keys.eventKey(event.getIndex(), event.getPosition()), Records.toBytes(event));
      }
      batch.put(rocks.family(RocksHandles.META), Keys.META, Records.toBytes(meta));
      rocks.write(batch);
    } catch (RocksDBException e) {
      throw new IOException("building the write batch failed: " + e.getMessage(), e);
    }
  }
}
