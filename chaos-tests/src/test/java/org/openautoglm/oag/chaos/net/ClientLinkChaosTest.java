package org.openautoglm.oag.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.chaos.ChaosTestSupport;
import org.openautoglm.oag.chaos.check.StoredTask;
import org.openautoglm.oag.chaos.cluster.ChaosCluster;
import org.openautoglm.oag.chaos.cluster.ClusterSpec;
import org.openautoglm.oag.chaos.cluster.CoordinatorProcess;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.client.TaskSpec;

/**
 * A client link through the {@link LinkProxy} to a real single-node cluster (one node, so
 * the client never follows a leader hint around the proxy): latency shows in every call,
 * and connection resets in the middle of a stream of submits lose nothing and duplicate
 * nothing, because the client retries under the same request id.
 */
class ClientLinkChaosTest {
  private static final Duration WITHIN = ChaosTestSupport.WITHIN;

  private static ChaosCluster cluster;
  private static LinkProxy proxy;
  private static CoordinatorClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = ChaosCluster.start(ClusterSpec.of(1, ChaosTestSupport.workDir(ClientLinkChaosTest.class),
        ChaosTestSupport.namespacesAvailable()), WITHIN);
    CoordinatorProcess node = cluster.nodes().get(0);
    proxy = LinkProxy.start(new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress(node.host(), Integer.parseInt(node.apiAddress().split(":")[1])));
    client = CoordinatorClient.connect(ClientConfig.builder("127.0.0.1:" + proxy.address().getPort())
        .deadline(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(20))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build());
  }

  @AfterAll
  static void stop() throws Exception {
    ChaosTestSupport.closeAll(client, proxy, cluster);
  }

  @Test
  void latencyOnTheLinkShowsInEveryCall() {
    Task t = client.submit(TaskSpec.command("true").name("link-latency"));
    proxy.latency(Duration.ofMillis(100), Duration.ofMillis(50));
    try {
      long start = System.nanoTime();
      client.get(t.getId());
      // A request and its answer each wait at least 100 ms in the proxy.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    } finally {
      proxy.latency(Duration.ZERO, Duration.ZERO);
    }
  }

  @Test
  void resetsMidStreamLoseAndDuplicateNothing() {
    int n = 200;
    List<String> requestIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requestIds.add("link-reset-" + i);
    }
    CompletableFuture<List<Task>> submits = CompletableFuture.supplyAsync(() -> requestIds.stream()
        .map(id -> client.submit(TaskSpec.command("true").name("link-reset")
            .label(StoredTask.REQUEST_LABEL, id), id)).toList());
    long resetsBefore = proxy.resets();
    // Five resets while the submits run, each once the client has reconnected.
    for (int i = 0; i < 5; i++) {
      long resets = proxy.resets();
      await().atMost(WITHIN).until(() -> submits.isDone() || proxy.connections() > 0);
      if (submits.isDone()) {
        break;
      }
      proxy.resetAll();
      await().atMost(WITHIN).until(() -> proxy.resets() > resets);
    }
    List<Task> acknowledged = submits.join();

    assertThat(proxy.resets() - resetsBefore).as("resets while submitting").isPositive();
    assertThat(acknowledged).hasSize(n);
    Map<String, Long> tasksPerRequest = client.listAll(TaskQuery.all().withNamePrefix("link-reset"))
        .collect(Collectors.groupingBy(t -> t.getSpec().getLabelsOrDefault(StoredTask.REQUEST_LABEL, ""),
            Collectors.counting()));
    assertThat(tasksPerRequest).hasSize(n).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    assertThat(acknowledged.stream().map(Task::getId).collect(Collectors.toSet()))
        .isEqualTo(client.listAll(TaskQuery.all().withNamePrefix("link-reset")).map(Task::getId)
            .collect(Collectors.toSet()));
    assertThat(requestIds).allSatisfy(id -> assertThat(tasksPerRequest).containsKey(id));
  }
}
