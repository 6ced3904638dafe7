package org.openautoglm.oag.coordinator.raft;

import java.io.IOException;
import java.nio.file.Path;
import org.openautoglm.oag.state.v1.MetaRecord;

/** Fetches a fresh checkpoint of a peer's store into {@code target}, fsynced, and returns its meta. */
@FunctionalInterface
public interface CheckpointSource {
  MetaRecord fetch(String peerId, Path target) throws IOException;
}
