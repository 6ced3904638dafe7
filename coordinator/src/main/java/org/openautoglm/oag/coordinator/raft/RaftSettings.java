package org.openautoglm.oag.coordinator.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.openautoglm.oag.coordinator.CoordinatorConfig;

/** Translates a {@link CoordinatorConfig} into Ratis properties; every Ratis knob we set is here. */
final class RaftSettings {
  private RaftSettings() {}

  static RaftProperties properties(CoordinatorConfig config) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("raft").toFile()));
    GrpcConfigKeys.Server.setHost(p, config.self().host());
    GrpcConfigKeys.Server.setPort(p, config.self().raftPort());
    // Group commit can put up to a MiB of commands in one entry.
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("16MB"));

    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(config.electionTimeoutMin().toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(config.electionTimeoutMax().toMillis()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(Math.max(3000, config.requestDeadline().toMillis())));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);

    // Pending proposals the leader accepts before answering ResourceUnavailable (RESOURCE_EXHAUSTED).
    RaftServerConfigKeys.Write.setElementLimit(p, 4096);

    // Snapshots are RocksDB flushes; followers behind the purged log fetch a checkpoint themselves.
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotAutoTriggerThreshold());
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, config.purgeLogUpToSnapshot());
    // Keep the entries just below the purge point: a member that comes back needs the entry
    // before its next one to be in the leader's log (or be the leader's snapshot).
    int gap = (int) Math.min(1024, Math.max(1, config.snapshotAutoTriggerThreshold()));
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, gap);
    RaftServerConfigKeys.Log.setPurgeGap(p, gap);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.raftSegmentBytes()));
    // The segment cache is most of Ratis's heap; bound it deliberately.
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("32MB"));
    return p;
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
