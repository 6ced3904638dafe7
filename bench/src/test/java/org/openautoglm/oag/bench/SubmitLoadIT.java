package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.coordinator.MiniCluster;

/** The load generator against a real in-process three-node cluster. */
class SubmitLoadIT {
  @TempDir
  static Path dir;
  static MiniCluster cluster;
  static OagTarget target;
  static CoordinatorClient client;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(dir, 3);
    cluster.awaitLeader();
    target = new OagTarget(ClientConfig.builder(cluster.addresses()).build());
    client = CoordinatorClient.connect(cluster.addresses());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (target != null) {
      target.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aClosedLoopRunReportsOrderedPercentilesAndItsTasksExist() {
    LoadConfig config = LoadConfig.builder(4, Duration.ofSeconds(2))
        .warmup(Duration.ofMillis(500)).payloadBytes(64).build();

    SubmitReport r = new SubmitLoad(target, config).run();

    assertThat(r.measured().ops()).isPositive();
    assertThat(r.measured().errors()).as("errors %s", r.measured().errorsByType()).isZero();
    assertThat(r.abandoned()).isZero();
    Latency l = r.latency();
    assertThat(l.p50Ms()).isPositive().isLessThanOrEqualTo(l.p99Ms());
    assertThat(l.p99Ms()).isLessThanOrEqualTo(l.maxMs());
    assertThat(r.measured().throughput()).isCloseTo(r.measured().ops() / 2.0, within(0.1));
    assertThat(r.leadership().leaderBefore()).startsWith("c");
    assertThat(r.leadership().termAfter()).isGreaterThanOrEqualTo(r.leadership().termBefore());

    List<Task> created = client.listAll(TaskQuery.all().withNamePrefix(config.namePrefix() + "-"))
        .toList();
    assertThat(created).hasSize((int) (r.warmup().ops() + r.measured().ops()));
    assertThat(created).allSatisfy(t -> {
      assertThat(t.getSpec().getLabelsMap().get(OagTarget.PAYLOAD_LABEL)).hasSize(64);
      assertThat(t.getState().name()).isEqualTo("CREATED");
    });
  }

  @Test
  void anOpenLoopRunKeepsToItsRate() {
    LoadConfig config = LoadConfig.builder(4, Duration.ofSeconds(2))
        .warmup(Duration.ofMillis(500)).rate(40).build();

    SubmitReport r = new SubmitLoad(target, config).run();

    assertThat(r.measured().errors()).isZero();
    assertThat(r.unsent()).isZero();
    assertThat(r.measured().ops()).isEqualTo(80);
    assertThat(r.measured().throughput()).isCloseTo(40.0, within(4.0));
    assertThat(r.behind().maxMs()).isLessThanOrEqualTo(r.latency().maxMs());
  }
}
