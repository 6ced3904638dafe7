package org.openautoglm.oag.chaos.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * How the coordinators of a cluster under test snapshot and purge their Raft log: as shipped,
 * or often, with small segments, purging up to each snapshot, so that a follower left behind
 * for a few hundred entries can only catch up by installing a checkpoint from the leader.
 *
 * @param snapshotEvery applied entries between snapshots ({@code --snapshot-every}); 0 = as shipped
 * @param segmentBytes size of a Raft log segment ({@code --raft-segment-bytes}); 0 = as shipped
 * @param purgeToSnapshot purge up to each snapshot ({@code --purge-log-to-snapshot}), even
 *     entries a member that is behind still needs
 */
public record LogCompaction(long snapshotEvery, long segmentBytes, boolean purgeToSnapshot) {
  /** The coordinator's own settings: no option passed. */
  public static final LogCompaction SHIPPED = new LogCompaction(0, 0, false);

  public LogCompaction {
    if (snapshotEvery < 0 || segmentBytes < 0) {
      throw new IllegalArgumentException("negative snapshot interval or segment size: " + snapshotEvery
          + ", " + segmentBytes);
    }
  }

  /** A snapshot every {@code entries} applied entries, segments of {@code segmentBytes}, purged up to each snapshot. */
  public static LogCompaction frequent(long entries, long segmentBytes) {
    if (entries < 1 || segmentBytes < 1) {
      throw new IllegalArgumentException("entries and segment bytes must be positive");
    }
    return new LogCompaction(entries, segmentBytes, true);
  }

  /** The {@code oag coordinator} options that ask for this. */
  List<String> args() {
    List<String> args = new ArrayList<>();
    if (snapshotEvery > 0) {
      args.addAll(List.of("--snapshot-every", Long.toString(snapshotEvery)));
    }
    if (segmentBytes > 0) {
      args.addAll(List.of("--raft-segment-bytes", Long.toString(segmentBytes)));
    }
    if (purgeToSnapshot) {
      args.add("--purge-log-to-snapshot");
    }
    return List.copyOf(args);
  }
}
