package org.openautoglm.oag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
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

  @Test
  void aBoundedRunSubmitsExactlyItsCountOfRunnableTasksAndTheWatchSeesEachSubmitted() {
    LoadConfig config = LoadConfig.builder(3, Duration.ofSeconds(60)).warmup(Duration.ZERO)
        .payloadBytes(0).maxWrites(40).build();
    String prefix = config.namePrefix() + "-";
    ClientConfig clients = ClientConfig.builder(cluster.addresses()).build();
    try (OagTarget submitting = new OagTarget(clients, OagTarget.Write.SUBMIT);
        PlacementWatch watch = PlacementWatch.open(clients)) {
      SubmitReport r = new SubmitLoad(submitting, config).run();

      assertThat(r.measured().ops()).isEqualTo(40);
      assertThat(r.measured().errors()).isZero();
      assertThat(r.measured().seconds()).isLessThan(60);
      assertThat(r.measured().throughput()).isCloseTo(40 / r.measured().seconds(), within(0.1));
      List<Task> tasks = client.listAll(TaskQuery.all().withNamePrefix(prefix)).toList();
      assertThat(tasks).hasSize(40).allSatisfy(t -> {
        assertThat(t.getState()).isEqualTo(TaskState.PENDING);
        assertThat(t.getSpec().getCommand()).isEqualTo(OagTarget.COMMAND);
        assertThat(t.getSpec().getResources().getCpuMillis()).isEqualTo(OagTarget.SUBMIT_CPU_MILLIS);
        assertThat(t.getSpec().getResources().getMemoryMib()).isEqualTo(OagTarget.SUBMIT_MEMORY_MIB);
      });
      // No agent in this cluster: nothing is placed, but every submit reaches the watch.
      PlacementReport p = await().atMost(Duration.ofSeconds(10))
          .until(() -> watch.await(prefix, Duration.ZERO), x -> x.submitted() == 40);
      assertThat(p.tasks()).isEqualTo(40);
      assertThat(p.placed()).isZero();
      assertThat(p.allPlaced()).isFalse();
      assertThat(p.submittedPerSecond()).isPositive();
    }
  }
}
