package org.openautoglm.oag.coordinator.state;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.NodeStatus;

/**
 * Every registered node in memory, by id. There are few nodes (one per host),
 * so the records themselves are held, not just an index of them.
 *
 * <p>Threading: one writer (the apply thread, after the batch is in RocksDB),
 * any number of concurrent readers; a record is replaced atomically.
 */
final class NodeViews {

  private final ConcurrentSkipListMap<String, NodeRecord> byId = new ConcurrentSkipListMap<>();
  private final AtomicInteger up = new AtomicInteger();

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
    NodeRecord before = byId.put(node.getId(), node);
    up.addAndGet((isUp(node) ? 1 : 0) - (isUp(before) ? 1 : 0));
  }

  int count() {
    return byId.size();
  }

  /** How many nodes are UP, without going through them. */
  int upCount() {
    return up.get();
  }

  private static boolean isUp(NodeRecord node) {
    return node != null && node.getStatus() == NodeStatus.UP;
  }
}
