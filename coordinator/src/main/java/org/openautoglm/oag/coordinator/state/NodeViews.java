package org.openautoglm.oag.coordinator.state;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.openautoglm.oag.state.v1.NodeRecord;

/**
 * Every registered node in memory, by id. There are few nodes (one per host),
 * so the records themselves are held, not just an index of them.
 *
 * <p>Threading: one writer (the apply thread, after the batch is in RocksDB),
 * any number of concurrent readers; a record is replaced atomically.
 */
final class NodeViews {

  private final ConcurrentSkipListMap<String, NodeRecord> byId = new ConcurrentSkipListMap<>();

  /** The committed node {@code id}, or null. */
  NodeRecord get(String id) {
    return byId.get(id);
  }

  /** Every committed node, sorted by id. */
  List<NodeRecord> all() {
    return List.copyOf(byId.values());
  }

  /** Inserts or replaces a node. Apply thread only, once it is in RocksDB. */
  void put(NodeRecord node) {
    byId.put(node.getId(), node);
  }

  int count() {
    return byId.size();
  }
}
