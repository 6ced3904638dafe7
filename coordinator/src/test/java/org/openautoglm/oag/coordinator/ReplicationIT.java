package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskReply;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskState;

/** A 3-node in-process cluster takes concurrent writes and shows them on every member. */
class ReplicationIT {
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
  void thousandConcurrentSubmitsAreAcknowledgedAndReadableFromEveryNode() throws Exception {
    cluster = MiniCluster.start(dir, 3);
    int leader = cluster.awaitLeader();
    var stub = TaskServiceGrpc.newFutureStub(cluster.channel(leader)).withDeadlineAfter(60, TimeUnit.SECONDS);
    List<ListenableFuture<TaskReply>> replies = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      replies.add(stub.submit(Requests.submit("it", "r" + i, "job-" + i)));
    }
    List<Task> acked = new ArrayList<>();
    for (var r : replies) {
      acked.add(r.get(60, TimeUnit.SECONDS).getTask());
    }
    assertThat(acked).extracting(Task::getId).doesNotHaveDuplicates().hasSize(1000);
    assertThat(acked).allMatch(t -> t.getState() == TaskState.PENDING);

    for (int node = 0; node < 3; node++) {
      Map<String, Task> seen = Requests.listAll(cluster.channel(node), ReadConsistency.LINEARIZABLE).stream()
          .collect(Collectors.toMap(Task::getId, Function.identity()));
      assertThat(seen.keySet()).as("tasks on c%d", node + 1)
          .containsExactlyInAnyOrderElementsOf(acked.stream().map(Task::getId).toList());
    }
    cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).hasSize(1);
  }

  @Test
  void restartedFollowerCatchesUp() {
    cluster = MiniCluster.start(dir, 3);
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % 3;
    cluster.halt(follower);
    for (int i = 0; i < 50; i++) {
      Requests.tasks(cluster.channel(leader)).submit(Requests.submit("it", "catch-" + i, "catch-" + i));
    }
    cluster.restart(follower);
    cluster.awaitConverged();
    assertThat(cluster.digests().values().stream().distinct()).hasSize(1);
    assertThat(Requests.listAll(cluster.channel(follower), ReadConsistency.STALE)).hasSize(50);
  }
}
