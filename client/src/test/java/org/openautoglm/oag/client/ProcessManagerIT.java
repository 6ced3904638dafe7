package org.openautoglm.oag.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.DesiredState;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.coordinator.MiniCluster;

/** The client library against a real in-process 3-node cluster. */
class ProcessManagerIT {
  @TempDir
  Path dir;
  MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Addresses listed with a follower first, so the client must follow the leader hint. */
  private String followerFirst() {
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % cluster.size();
    return cluster.peers().get(follower).apiAddress() + "," + cluster.addresses();
  }

  @Test
  void theOriginalDesignsLifecycleWorksThroughAFollowerAddress() {
    cluster = MiniCluster.start(dir, 3);
    try (ProcessManager pm = ProcessManager.connect(followerFirst())) {
      ManagedProcess p = pm.create(TaskSpec.command("python3", "serve.py")
          .type("inference").model("glm-large").input("batch_001.json").cpu(0.5).memoryMiB(512));
      assertThat(p.status()).isEqualTo(TaskState.CREATED);
      assertThat(p.task().getSpec().getLabelsMap())
          .containsEntry("type", "inference").containsEntry("model", "glm-large")
          .containsEntry("input", "batch_001.json");
      assertThat(p.task().getSpec().getResources().getCpuMillis()).isEqualTo(500);

      p.start();
      assertThat(p.status()).isEqualTo(TaskState.PENDING);
      p.pause();
      assertThat(p.task().getDesired()).isEqualTo(DesiredState.DESIRED_PAUSED);
      p.resume();
      assertThat(p.task().getDesired()).isEqualTo(DesiredState.DESIRED_RUNNING);
      p.stop();
      assertThat(p.status()).isEqualTo(TaskState.STOPPED);
      assertThatThrownBy(p::start).isInstanceOf(FailedPreconditionException.class);
    }
  }

  @Test
  void writesContinueAcrossALeaderCrashWithoutDuplicates() {
    cluster = MiniCluster.start(dir, 3);
    try (CoordinatorClient client = CoordinatorClient.connect(cluster.addresses())) {
      for (int i = 0; i < 20; i++) {
        client.submit(TaskSpec.command("sleep", "1").name("before-" + i));
      }
      cluster.halt(cluster.awaitLeader());
      for (int i = 0; i < 20; i++) {
        client.submit(TaskSpec.command("sleep", "1").name("after-" + i));
      }
      List<Task> all = client.listAll(TaskQuery.all()).toList();
      assertThat(all).hasSize(40);
      assertThat(all.stream().collect(Collectors.groupingBy(t -> t.getSpec().getName(), Collectors.counting())))
          .allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(1L));
    }
  }

  @Test
  void aRetryWithTheSameRequestIdReturnsTheOriginalTask() {
    cluster = MiniCluster.start(dir, 3);
    try (CoordinatorClient client = CoordinatorClient.connect(cluster.addresses())) {
      Task first = client.submit(TaskSpec.command("sleep", "5").name("once"), "req-1");
      Task again = client.submit(TaskSpec.command("sleep", "5").name("once"), "req-1");
      assertThat(again.getId()).isEqualTo(first.getId());
      assertThatThrownBy(() -> client.submit(TaskSpec.command("sleep", "6").name("once"), "req-1"))
          .isInstanceOf(FailedPreconditionException.class);
      assertThatThrownBy(() -> client.get("t999")).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> client.submit(org.openautoglm.oag.api.v1.TaskSpec.newBuilder().build(), "req-2"))
          .isInstanceOf(InvalidArgumentException.class)
          .satisfies(e -> assertThat(((InvalidArgumentException) e).field()).isEqualTo("spec.command"));
      assertThat(client.get(first.getId(), ReadConsistency.STALE).getId()).isEqualTo(first.getId());
    }
  }
}
