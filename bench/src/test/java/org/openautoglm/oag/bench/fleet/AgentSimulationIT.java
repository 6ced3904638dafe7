package org.openautoglm.oag.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.api.v1.NodeState;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.coordinator.MiniCluster;

/** Simulated agents against a real in-process three-node cluster. */
class AgentSimulationIT {
  @TempDir
  static Path dir;
  static MiniCluster cluster;
  static CoordinatorClient client;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(dir, 3);
    cluster.awaitLeader();
    client = CoordinatorClient.connect(cluster.addresses());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<Node> nodes(String prefix) {
    return client.listNodes().stream().filter(n -> n.getId().startsWith(prefix + "-")).toList();
  }

  @Test
  void fiftyAgentsRegisterStayUpGetTheirHeartbeatsAckedRunTheirTasksAndEndDown() {
    // Half the default TTL (six heartbeats) to keep the test short; the storm guard at 100 %
    // lets the whole fleet retire in one wave.
    client.setFailoverSettings(FailoverSettings.newBuilder().setLeaseMs(2_000).setTtlMs(3_000)
        .setAvailableTtlMs(1_500).setStormPercent(100).build());
    AgentsConfig config = AgentsConfig.builder(50).interval(Duration.ofMillis(500))
        .duration(Duration.ofSeconds(6)).tasksPerAgent(1).build();

    AgentsReport r = new AgentSimulation(ClientConfig.builder(cluster.addresses()).build(), config,
        line -> { }).run();
    System.out.println(r.fields());   // in the test's output, for when an assertion fails

    AgentsReport.Sessions s = r.sessions();
    assertThat(s.registered()).isEqualTo(50);
    assertThat(s.established()).isEqualTo(50);
    assertThat(s.up()).isEqualTo(50);
    assertThat(s.nodesUp()).as("this run's nodes UP with a session in the node list").isEqualTo(50);
    assertThat(s.rampUpSeconds()).isNotNull().isLessThan(6.0);
    assertThat(s.relayed()).isZero();
    AgentsReport.Heartbeats h = r.heartbeats();
    // About 50 agents * 2/s * (6 s less the ramp-up).
    assertThat(h.sent()).isGreaterThan(300);
    assertThat(h.acks()).as("acks of %s heartbeats", h.sent()).isLessThanOrEqualTo(h.sent())
        .isGreaterThanOrEqualTo(h.sent() * 95 / 100);
    assertThat(h.ack().p50Ms()).isPositive().isLessThanOrEqualTo(h.ack().p99Ms());
    assertThat(h.ack().p99Ms()).isLessThanOrEqualTo(h.ack().maxMs());
    assertThat(h.late().p99Ms()).isLessThanOrEqualTo(h.late().maxMs());
    assertThat(h.gapsOverTtl()).isZero();
    assertThat(r.down().falseDowns()).isZero();
    assertThat(r.down().total()).isZero();
    assertThat(r.tasks().submitted()).isEqualTo(50);
    assertThat(r.tasks().running()).as("allocations held RUNNING").isEqualTo(50);
    assertThat(r.tasks().stopped()).isEqualTo(50);
    assertThat(r.leaderIntervalMs()).isEqualTo(500);
    assertThat(r.ttlMs()).isEqualTo(3_000);

    AgentsReport.End end = r.end();
    assertThat(end.incomplete()).isNull();
    assertThat(end.retired()).isEqualTo(50);
    assertThat(end.retiredDown()).isEqualTo(50);
    assertThat(end.waves()).isEqualTo(1);
    assertThat(nodes(config.nodePrefix())).hasSize(50)
        .allSatisfy(n -> assertThat(n.getState()).isEqualTo(NodeState.NODE_DOWN));
    List<Task> tasks = client.listAll(TaskQuery.all().withNamePrefix(config.nodePrefix() + "-t")).toList();
    assertThat(tasks).hasSize(50);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        client.listAll(TaskQuery.all().withNamePrefix(config.nodePrefix() + "-t")).toList())
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(TaskState.STOPPED)));
  }

  @Test
  void aFleetThatIsTheWholeClusterRetiresInWavesWithoutTrippingTheStormGuard() {
    // A short TTL (about the shortest a 600 ms lease allows) so that the waves take seconds.
    client.setFailoverSettings(FailoverSettings.newBuilder().setLeaseMs(600).setTtlMs(1_500)
        .setAvailableTtlMs(750).setStormPercent(50).build());
    AgentsConfig config = AgentsConfig.builder(4).interval(Duration.ofMillis(250))
        .duration(Duration.ofSeconds(1)).build();

    AgentsReport r = new AgentSimulation(ClientConfig.builder(cluster.addresses()).build(), config,
        line -> { }).run();
    System.out.println(r.fields());   // in the test's output, for when an assertion fails

    assertThat(r.sessions().up()).isEqualTo(4);
    assertThat(r.down().falseDowns()).isZero();
    // 4 UP: 2 may go silent; then 1 of 2; then the last one.
    assertThat(r.end().waves()).isEqualTo(3);
    assertThat(r.end().retiredDown()).isEqualTo(4);
    assertThat(r.end().incomplete()).isNull();
    assertThat(client.failoverSettings().getStormGuardOn()).isFalse();
    assertThat(nodes(config.nodePrefix())).hasSize(4)
        .allSatisfy(n -> assertThat(n.getState()).isEqualTo(NodeState.NODE_DOWN));
  }
}
