package org.openautoglm.oag.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.coordinator.Coordinator;
import org.openautoglm.oag.coordinator.CoordinatorConfig;
import org.openautoglm.oag.coordinator.DataDirIdentity;
import org.openautoglm.oag.coordinator.PeerAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oag coordinator}: one coordinator node, until SIGTERM or SIGINT. The shutdown hook
 * calls {@link Coordinator#close()}, which hands leadership to another member first.
 */
@Command(name = "coordinator", description = "Run one coordinator node.")
final class CoordinatorCommand implements Callable<Integer> {
  private static final long MAX_SNAPSHOT_EVERY = 1_000_000_000L;
  private static final long MIN_SEGMENT_BYTES = 8L << 10;
  private static final long MAX_SEGMENT_BYTES = 1L << 30;

  @Spec CommandSpec spec;

  @Option(names = "--id", required = true, description = "This node's id, one of --peers.")
  String id;

  @Option(names = "--peers", required = true, paramLabel = "ID=HOST:RAFT[:API],...",
      description = "Every member, e.g. c1=127.0.0.1:7080,c2=127.0.0.1:7081,c3=127.0.0.1:7082 "
          + "(API port defaults to RAFT-10).")
  String peers;

  @Option(names = "--api-port", paramLabel = "PORT",
      description = "gRPC API port (default: this node's entry in --peers).")
  Integer apiPort;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "HTTP port (default: Raft port + 1000, e.g. 8080 beside 7080; -1 = off).")
  Integer httpPort;

  @Option(names = "--bind", paramLabel = "HOST",
      description = "Address to listen on (default: this node's host in --peers).")
  String bind;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
  Path data;

  @Option(names = "--cluster-id", defaultValue = "oag",
      description = "Cluster id (default: ${DEFAULT-VALUE}).")
  String clusterId;

  @Option(names = "--election-timeout", paramLabel = "MIN-MAX",
      description = "Raft election timeout range in ms, e.g. 500-1000 (default: the measured "
          + "built-in value; see the README).")
  String electionTimeout;

  @Option(names = "--group-commit-in-flight", paramLabel = "N",
      description = "Raft entries the leader keeps in flight while it batches the next "
          + "(default: the built-in value; see the README).")
  Integer groupCommitInFlight;

  @Option(names = "--snapshot-every", paramLabel = "ENTRIES",
      description = "Take a snapshot (a RocksDB flush) after every ENTRIES applied log entries, "
          + "1 to 1000000000 (default: 100000).")
  Long snapshotEvery;

  @Option(names = "--purge-log-to-snapshot",
      description = "Purge the Raft log up to each snapshot, even entries a member that is behind "
          + "still needs: it then installs a checkpoint from the leader. Default: purge only what "
          + "every member has committed (a killed leader that comes back catches up from the log).")
  boolean purgeLogToSnapshot;

  @Option(names = "--raft-segment-bytes", converter = Units.Bytes.class, paramLabel = "SIZE",
      description = "Size of one Raft log segment file, 8Ki to 1Gi, e.g. 64Ki or 8Mi; only closed "
          + "segments are purged (default: 8Mi).")
  Long raftSegmentBytes;

  @Override
  public Integer call() throws Exception {
    CoordinatorConfig config = config();
    Files.createDirectories(config.dataDir());
    Coordinator node;
    try {
      node = Coordinator.start(config);
    } catch (DataDirIdentity.Mismatch e) {
      throw usage("--data", e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "oag-coordinator-shutdown"));
    var out = spec.commandLine().getOut();
    out.printf("oag coordinator %s: api %s, raft %s, http %d, data %s%n", node.nodeId(),
        node.apiAddress(), config.self().raftAddress(), node.httpPort(), config.dataDir());
    out.flush();
    try {
      node.terminated().join();
      return Errors.OK;
    } catch (java.util.concurrent.CompletionException e) {
      // A storage failure stopped the node: exit non-zero so a supervisor notices.
      spec.commandLine().getErr().println("oag coordinator " + id + ": stopped by a fatal error: "
          + e.getCause());
      return Errors.FAILURE;
    }
  }

  /** The node's config from the options; bad input is a usage error naming the option. */
  CoordinatorConfig config() {
    List<PeerAddress> members;
    try {
      members = PeerAddress.parseList(peers);
    } catch (IllegalArgumentException e) {
      throw usage("--peers", e.getMessage());
    }
    PeerAddress self = members.stream().filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow(() -> usage("--id", "'" + id + "' is not among --peers"));
    int http = httpPort != null ? httpPort : self.raftPort() + 1000;
    if (http < -1 || http > 65535) {
      throw usage("--http-port", "out of range: " + http);
    }
    if (apiPort != null && (apiPort < 0 || apiPort > 65535)) {
      throw usage("--api-port", "out of range: " + apiPort);
    }
    try {
      CoordinatorConfig.Builder b = CoordinatorConfig.builder(id, members, data)
          .clusterId(clusterId)
          .bindHost(bind != null ? bind : self.host())
          .apiPort(apiPort != null ? apiPort : self.apiPort())
          .httpPort(http);
      if (groupCommitInFlight != null) {
        if (groupCommitInFlight < 1 || groupCommitInFlight > 64) {
          throw usage("--group-commit-in-flight", "must be 1 to 64, was " + groupCommitInFlight);
        }
        b.groupCommitMaxInFlight(groupCommitInFlight);
      }
      logCompaction(b);
      if (electionTimeout != null) {
        String[] range = electionTimeout.split("-");
        if (range.length != 2 || !range[0].matches("[0-9]{2,6}") || !range[1].matches("[0-9]{2,6}")) {
          throw usage("--election-timeout", "expected MIN-MAX in milliseconds, e.g. 500-1000");
        }
        b.electionTimeout(java.time.Duration.ofMillis(Long.parseLong(range[0])),
            java.time.Duration.ofMillis(Long.parseLong(range[1])));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The snapshot and purge options, each checked and named when out of range. */
  private void logCompaction(CoordinatorConfig.Builder b) {
    if (snapshotEvery != null) {
      if (snapshotEvery < 1 || snapshotEvery > MAX_SNAPSHOT_EVERY) {
        throw usage("--snapshot-every", "must be 1 to " + MAX_SNAPSHOT_EVERY + " entries, was " + snapshotEvery);
      }
      b.snapshotAutoTriggerThreshold(snapshotEvery);
    }
    if (raftSegmentBytes != null) {
      if (raftSegmentBytes < MIN_SEGMENT_BYTES || raftSegmentBytes > MAX_SEGMENT_BYTES) {
        throw usage("--raft-segment-bytes", "must be 8Ki to 1Gi, was " + raftSegmentBytes + " bytes");
      }
      b.raftSegmentBytes(raftSegmentBytes);
    }
    if (purgeLogToSnapshot) {
      b.purgeLogUpToSnapshot(true);
    }
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(spec.commandLine(),
        "Invalid value for option '" + option + "': " + message);
  }
}
