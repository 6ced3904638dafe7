package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop and the operator surfaces of a node. */
class LifecycleIT {
  @TempDir
  Path dir;
  MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void closingTheLeaderHandsOffLeadershipBeforeItStops() {
    cluster = MiniCluster.start(dir, 3);
    int old = cluster.awaitLeader();
    String oldId = cluster.peers().get(old).id();
    cluster.stop(old);
    // No waiting: after a hand-off some member already knows a new leader; after a crash
    // they would all still name the old one until an election timeout passed.
    assertThat(cluster.running().stream().map(i -> cluster.node(i).raft().leaderId()))
        .anyMatch(id -> id != null && !id.equals(oldId));
  }

  @Test
  void aDataDirOfAnotherNodeOrClusterIsRefused() {
    cluster = MiniCluster.start(dir, 3);
    cluster.awaitLeader();
    cluster.stop(0);
    CoordinatorConfig wrongNode = CoordinatorConfig.builder("c2", cluster.peers(), cluster.dataDir(0)).build();
    assertThatThrownBy(() -> Coordinator.start(wrongNode))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to node c1");
    CoordinatorConfig wrongCluster = cluster.config(0).toBuilder().clusterId("other").build();
    assertThatThrownBy(() -> Coordinator.start(wrongCluster))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("of cluster oag");
    cluster.restart(0);
  }

  @Test
  void metricsAndHealthAreServedOverHttp() throws Exception {
    cluster = MiniCluster.start(dir, 3, b -> b.httpPort(0));
    int leader = cluster.awaitLeader();
    Requests.tasks(cluster.channel(leader)).submit(Requests.submit("http-it", "m1", "m1"));
    int port = cluster.node(leader).httpPort();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("oag_api_calls_seconds_count{method=\"Submit\"")
        .contains("oag_proposals_total")
        .contains("oag_apply_batch_commands")
        .contains("oag_raft_is_leader{node=\"" + cluster.peers().get(leader).id() + "\"} 1.0")
        .contains("oag_raft_applied_index")
        .contains("oag_dedupe_entries");
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }
}
