package org.openautoglm.oag.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.openautoglm.oag.coordinator.fleet.FleetSettings;

/**
 * Everything one coordinator node needs to start. Immutable; build with
 * {@link #builder(String, List, Path)}, whose defaults sit beside each setter.
 *
 * <p>Settings that change what apply computes (retention, dedupe TTL) must be
 * the same on every member, or replicas diverge; they are cluster-wide
 * constants here and become replicated settings when they need to vary.
 */
public record CoordinatorConfig(
    String nodeId,
    String clusterId,
    List<PeerAddress> peers,
    String bindHost,
    int apiPort,
    int httpPort,
    Path dataDir,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    long snapshotAutoTriggerThreshold,
    boolean purgeLogUpToSnapshot,
    long raftSegmentBytes,
    int groupCommitMaxCommands,
    int groupCommitMaxBytes,
    Duration groupCommitWindow,
    int groupCommitMaxInFlight,
    Duration requestDeadline,
    Duration dedupeTtl,
    Duration terminalTaskRetention,
    long blockCacheBytes,
    long writeBufferBytes,
    FleetSettings fleet) {

  public CoordinatorConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(fleet, "fleet");
    if (clusterId == null || !clusterId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("cluster id must be 1-64 letters, digits, '.', '_' or '-': " + clusterId);
    }
    peers = List.copyOf(peers);
    if (self(nodeId, peers) == null) {
      throw new IllegalArgumentException("node id " + nodeId + " is not among the peers " + peers);
    }
    if (groupCommitMaxInFlight < 1 || groupCommitMaxCommands < 1) {
      throw new IllegalArgumentException("group commit needs at least one command and one batch in flight");
    }
    if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException("election timeout max must exceed min");
    }
  }

  public PeerAddress self() {
    return self(nodeId, peers);
  }

  private static PeerAddress self(String id, List<PeerAddress> peers) {
    return peers.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
  }

  public static Builder builder(String nodeId, List<PeerAddress> peers, Path dataDir) {
    return new Builder(nodeId, peers, dataDir);
  }

  public Builder toBuilder() {
    return new Builder(nodeId, peers, dataDir)
        .clusterId(clusterId).bindHost(bindHost).apiPort(apiPort).httpPort(httpPort)
        .electionTimeout(electionTimeoutMin, electionTimeoutMax)
        .snapshotAutoTriggerThreshold(snapshotAutoTriggerThreshold)
        .purgeLogUpToSnapshot(purgeLogUpToSnapshot)
        .raftSegmentBytes(raftSegmentBytes)
        .groupCommit(groupCommitMaxCommands, groupCommitMaxBytes, groupCommitWindow)
        .groupCommitMaxInFlight(groupCommitMaxInFlight)
        .requestDeadline(requestDeadline).dedupeTtl(dedupeTtl)
        .terminalTaskRetention(terminalTaskRetention)
        .memory(blockCacheBytes, writeBufferBytes)
        .fleet(fleet);
  }

  /** Defaults are the values the coordinator ships with; see each field. */
  public static final class Builder {
    private final String nodeId;
    private final List<PeerAddress> peers;
    private final Path dataDir;
    private String clusterId = "oag";
    private String bindHost = "127.0.0.1";
    private int apiPort = -1;      // -1: the API port in this node's peer entry
    private int httpPort = -1;     // -1: no HTTP surface; 0: ephemeral
    // Chosen by measurement on the 2-core build machine: see README "Election timeouts".
    private Duration electionTimeoutMin = Duration.ofMillis(300);
    private Duration electionTimeoutMax = Duration.ofMillis(600);
    private long snapshotAutoTriggerThreshold = 100_000;
    // false: purge only what every member has committed. Purging up to the leader's own
    // snapshot stranded a killed leader whose next entry was the new leader's first (Ratis
    // 3.2.2 neither sends entries nor asks for a checkpoint then; SnapshotInstallIT).
    private boolean purgeLogUpToSnapshot = false;
    private long raftSegmentBytes = 8L << 20;   // only closed segments are purged
    private int groupCommitMaxCommands = 512;
    private int groupCommitMaxBytes = 1 << 20;
    private Duration groupCommitWindow = Duration.ofMillis(1);
    private int groupCommitMaxInFlight = 1;   // see README "Group commit"
    private Duration requestDeadline = Duration.ofSeconds(10);
    private Duration dedupeTtl = Duration.ofHours(24);
    private Duration terminalTaskRetention = Duration.ofHours(24);
    private long blockCacheBytes = 64L << 20;
    private long writeBufferBytes = 64L << 20;
    private FleetSettings fleet = FleetSettings.DEFAULTS;

    private Builder(String nodeId, List<PeerAddress> peers, Path dataDir) {
      this.nodeId = nodeId;
      this.peers = peers;
      this.dataDir = dataDir;
    }

    public Builder clusterId(String v) { clusterId = v; return this; }
    public Builder bindHost(String v) { bindHost = v; return this; }
    public Builder apiPort(int v) { apiPort = v; return this; }
    public Builder httpPort(int v) { httpPort = v; return this; }
    public Builder electionTimeout(Duration min, Duration max) {
      electionTimeoutMin = min;
      electionTimeoutMax = max;
      return this;
    }
    public Builder snapshotAutoTriggerThreshold(long v) { snapshotAutoTriggerThreshold = v; return this; }
    public Builder purgeLogUpToSnapshot(boolean v) { purgeLogUpToSnapshot = v; return this; }
    public Builder raftSegmentBytes(long v) { raftSegmentBytes = v; return this; }
    public Builder groupCommit(int maxCommands, int maxBytes, Duration window) {
      groupCommitMaxCommands = maxCommands;
      groupCommitMaxBytes = maxBytes;
      groupCommitWindow = window;
      return this;
    }
    public Builder groupCommitMaxInFlight(int v) { groupCommitMaxInFlight = v; return this; }
    public Builder requestDeadline(Duration v) { requestDeadline = v; return this; }
    public Builder dedupeTtl(Duration v) { dedupeTtl = v; return this; }
    public Builder terminalTaskRetention(Duration v) { terminalTaskRetention = v; return this; }
    public Builder memory(long blockCache, long writeBuffer) {
      blockCacheBytes = blockCache;
      writeBufferBytes = writeBuffer;
      return this;
    }

    public Builder fleet(FleetSettings v) { fleet = v; return this; }

    public CoordinatorConfig build() {
      PeerAddress self = self(nodeId, peers);
      int api = apiPort >= 0 ? apiPort : (self == null ? 0 : self.apiPort());
      return new CoordinatorConfig(nodeId, clusterId, peers, bindHost, api, httpPort, dataDir,
          electionTimeoutMin, electionTimeoutMax, snapshotAutoTriggerThreshold, purgeLogUpToSnapshot,
          raftSegmentBytes, groupCommitMaxCommands, groupCommitMaxBytes, groupCommitWindow,
          groupCommitMaxInFlight, requestDeadline,
          dedupeTtl, terminalTaskRetention, blockCacheBytes, writeBufferBytes, fleet);
    }
  }
}
