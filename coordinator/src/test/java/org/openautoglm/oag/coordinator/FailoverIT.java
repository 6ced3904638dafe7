package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskReply;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;

/** Leader loss: nothing acknowledged is lost, and a retried request takes effect once. */
class FailoverIT {
  @TempDir
  Path dir;
  MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Submits at whichever node leads now, retrying with the same request id until acknowledged. */
  private Task submitUntilAcked(String requestId, String name) {
    Task[] acked = {null};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (int i : cluster.running()) {
        if (cluster.node(i) != null && cluster.node(i).isLeader()) {
          try {
            acked[0] = Requests.tasks(cluster.channel(i)).withDeadlineAfter(5, TimeUnit.SECONDS)
                .submit(Requests.submit("failover-it", requestId, name)).getTask();
            return true;
          } catch (StatusRuntimeException e) {
            return false;
          }
        }
      }
      return false;
    });
    return acked[0];
  }

  @Test
  void killingTheLeaderMidLoadLosesNoAcknowledgedTask() throws Exception {
    cluster = MiniCluster.start(dir, 3);
    cluster.awaitLeader();
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService load = Executors.newFixedThreadPool(8);
    for (int w = 0; w < 8; w++) {
      int worker = w;
      load.submit(() -> {
        for (int i = 0; i < 60 && !done.get(); i++) {
          String name = "load-" + worker + "-" + i;
          acked.put(name, submitUntilAcked(name, name).getId());
        }
      });
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 120);
    int oldLeader = cluster.awaitLeader();
    cluster.halt(oldLeader);
    load.shutdown();
    assertThat(load.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    done.set(true);

    int leader = cluster.awaitLeader();
    List<Task> stored = Requests.listAll(cluster.channel(leader), ReadConsistency.LINEARIZABLE);
    Map<String, Long> perName = stored.stream().collect(Collectors.groupingBy(t -> t.getSpec().getName(),
        Collectors.counting()));
    assertThat(acked).hasSize(480);
    assertThat(perName.keySet()).containsAll(acked.keySet());
    assertThat(perName.values()).allMatch(n -> n == 1L);
    assertThat(stored.stream().map(Task::getId).toList()).containsAll(acked.values());

    cluster.restart(oldLeader);
    cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).hasSize(1);
  }

  @Test
  void submitWhoseLeaderDiesBeforeReplyingTakesEffectOnceWhenRetried() throws Exception {
    cluster = MiniCluster.start(dir, 3);
    for (int round = 0; round < 3; round++) {
      int leader = cluster.awaitLeader();
      String requestId = "once-" + round;
      var inFlight = TaskServiceGrpc.newFutureStub(cluster.channel(leader))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .submit(Requests.submit("failover-it", requestId, requestId));
      cluster.halt(leader);
      TaskReply first = null;
      try {
        first = inFlight.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // Expected most of the time: the leader died before it replied.
      }
      Task retried = submitUntilAcked(requestId, requestId);
      if (first != null) {
        assertThat(retried.getId()).isEqualTo(first.getTask().getId());
      }
      int now = cluster.awaitLeader();
      long copies = Requests.listAll(cluster.channel(now), ReadConsistency.LINEARIZABLE).stream()
          .filter(t -> t.getSpec().getName().equals(requestId)).count();
      assertThat(copies).as("tasks created by request %s", requestId).isEqualTo(1);
      cluster.restart(leader);
    }
  }

  @Test
  void sameRequestIdWithAnotherPayloadIsRefused() {
    cluster = MiniCluster.start(dir, 3);
    int leader = cluster.awaitLeader();
    Requests.tasks(cluster.channel(leader)).submit(Requests.submit("c", "dup", "first"));
    String code = Requests.code(() -> Requests.tasks(cluster.channel(leader))
        .submit(Requests.submit("c", "dup", "second")));
    assertThat(code).isEqualTo("FAILED_PRECONDITION");
    assertThat(Requests.listAll(cluster.channel(leader), ReadConsistency.LINEARIZABLE)).hasSize(1);
  }
}
