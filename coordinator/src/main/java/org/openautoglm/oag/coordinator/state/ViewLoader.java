package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import org.openautoglm.oag.state.v1.DedupeRecord;
import org.openautoglm.oag.state.v1.MetaRecord;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/** Rebuilds a store's in-memory views from its column families when it is opened. */
final class ViewLoader {
  private ViewLoader() {}

  /**
   * Fills the empty views from {@code rocks}.
   *
   * @throws IOException RocksDB failed, or the event count does not match {@code meta}
   */
  static void load(RocksHandles rocks, MetaRecord meta, TaskViews tasks, DedupeTable dedupe,
      NodeViews nodes, EventLog events) throws IOException {
    rocks.scan(RocksHandles.TASKS, (key, value) ->
        tasks.put(Keys.seqOfKey(key), Records.parse(TaskRecord.parser(), value, "task")));
    rocks.scan(RocksHandles.DEDUPE, (key, value) ->
        dedupe.publish(Keys.dedupeKeyOf(key), Records.parse(DedupeRecord.parser(), value, "dedupe")));
    rocks.scan(RocksHandles.NODES, (key, value) ->
        nodes.put(Records.parse(NodeRecord.parser(), value, "node")));
    rocks.scan(RocksHandles.EVENTS, (key, value) ->
        events.loaded(Keys.eventIndexOf(key), Keys.eventPositionOf(key)));
    if (events.total() != meta.getEventCount()) {
      throw new IOException("the events family holds " + events.total() + " events but meta counts "
          + meta.getEventCount());
    }
  }
}
