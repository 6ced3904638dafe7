package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.ReadConsistency;

/**
 * Snapshots are RocksDB flushes, and a follower behind the leader's purged log
 * installs a checkpoint fetched over our own gRPC.
 */
class SnapshotInstallIT {
  @TempDir
  Path dir;
  MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void write(int leader, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      Requests.tasks(cluster.channel(leader)).submit(Requests.submit("snap-it", prefix + i, prefix + i));
    }
  }

  @Test
  void wipedFollowerInstallsTheLeadersCheckpointAndConverges() throws Exception {
    cluster = MiniCluster.start(dir, 3, b -> b.snapshotAutoTriggerThreshold(20).purgeLogUpToSnapshot(true).raftSegmentBytes(8 << 10));
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % 3;
    write(leader, "before-", 60);
    cluster.halt(follower);
    cluster.wipe(follower);
    // Enough entries that the leader snapshots and purges the log the wiped follower would need.
    write(leader, "after-", 200);

    cluster.restart(follower);
    // Registered before the install lands (usually): it must go on hearing from the swapped-in store.
    java.util.List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    cluster.node(follower).raft().addApplyListener(changes -> heard.add(changes.index()));
    long index = cluster.awaitConverged();
    assertThat(cluster.node(follower).raft().snapshotInstalls()).isGreaterThanOrEqualTo(1);
    assertThat(cluster.digests().values().stream().distinct()).as("digests at index %d", index).hasSize(1);
    assertThat(Requests.listAll(cluster.channel(follower), ReadConsistency.STALE)).hasSize(260);
    assertThat(cluster.node(follower).raft().store().events(0, 0, 1_000))
        .as("the checkpoint carries the event log").hasSize(260)
        .isEqualTo(cluster.node(leader).raft().store().events(0, 0, 1_000));

    write(leader, "later-", 10);
    long later = cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).hasSize(1);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(heard).contains(later));  // told just after the index is published
  }

  /**
   * A killed leader's log ends where the new leader's term begins, which is where the new
   * leader's segment begins: purging up to its own snapshot, the new leader deleted exactly
   * the entry before the restarted member's next one, and Ratis then neither sent entries
   * nor asked for a checkpoint (found by the benchmark's leader kills: the member stayed
   * behind for minutes). Purging only what every member has acknowledged keeps that entry.
   */
  @Test
  void aKilledLeaderRestartedAfterTheNewLeaderSnapshottedCatchesUp() {
    // Segments as shipped (large): the new leader's term is still in its open segment.
    cluster = MiniCluster.start(dir, 3, b -> b.snapshotAutoTriggerThreshold(20));
    int old = cluster.awaitLeader();
    write(old, "before-", 30);
    cluster.halt(old);
    int leader = cluster.awaitLeader();
    // The new leader snapshots (and purges) several times while the old one is down.
    write(leader, "after-", 150);

    cluster.restart(old);
    long index = cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).as("digests at index %d", index).hasSize(1);
    assertThat(Requests.listAll(cluster.channel(old), ReadConsistency.STALE)).hasSize(180);
  }

  @Test
  void crashAfterAFlushRatisDoesNotKnowAboutReplaysNothingTwice() {
    cluster = MiniCluster.start(dir, 3);
    int leader = cluster.awaitLeader();
    int follower = (leader + 2) % 3;
    write(leader, "a-", 40);
    cluster.awaitConverged();
    // RocksDB now holds more than the snapshot Ratis recorded; then the node dies.
    try {
      cluster.node(follower).raft().store().flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    cluster.halt(follower);
    write(leader, "b-", 40);
    cluster.restart(follower);
    cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).hasSize(1);
    assertThat(Requests.listAll(cluster.channel(follower), ReadConsistency.STALE)).hasSize(80);
  }
}
