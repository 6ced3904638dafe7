package org.openautoglm.oag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.ClusterServiceGrpc;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.DrainNodeRequest;
import org.openautoglm.oag.api.v1.DrainStatusRequest;
import org.openautoglm.oag.api.v1.GetRebalanceSettingsRequest;
import org.openautoglm.oag.api.v1.GetTaskRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.TaskActionRequest;
import org.openautoglm.oag.api.v1.TaskSpec;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.coordinator.api.ApiErrors;

/** Bad input gets a clear error naming the field, the server keeps serving, and stored data is unchanged. */
class BadInputIT {
  @TempDir
  static Path dir;
  static MiniCluster cluster;
  static int leader;

  @BeforeAll
  static void start() {
    cluster = MiniCluster.start(dir, 3);
    leader = cluster.awaitLeader();
    Requests.tasks(cluster.channel(leader)).submit(Requests.submit("bad-it", "good", "good"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static StatusRuntimeException refused(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call was accepted");
  }

  private static void assertInvalid(Runnable call, String field) {
    StatusRuntimeException e = refused(call);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith(field + ":");
    assertThat(e.getTrailers().get(ApiErrors.FIELD)).isEqualTo(field);
  }

  private static CreateTaskRequest spec(TaskSpec.Builder spec) {
    return CreateTaskRequest.newBuilder().setSpec(spec).build();
  }

  @Test
  void badRequestsGetClearErrorsAndChangeNothing() throws Exception {
    long index = cluster.awaitConverged();
    var before = cluster.digests();
    var tasks = Requests.tasks(cluster.channel(leader));

    assertInvalid(() -> tasks.submit(spec(TaskSpec.newBuilder())), "spec.command");
    assertInvalid(() -> tasks.submit(spec(TaskSpec.newBuilder().setCommand("x")
        .setResources(Resources.newBuilder().setCpuMillis(-1)))), "spec.resources.cpu_millis");
    assertInvalid(() -> tasks.submit(spec(TaskSpec.newBuilder().setCommand("x")
        .setResources(Resources.newBuilder().setMemoryMib(-5)))), "spec.resources.memory_mib");
    assertInvalid(() -> tasks.submit(spec(TaskSpec.newBuilder().setCommand("x").addArgs("y".repeat(70_000)))),
        "spec");
    assertInvalid(() -> tasks.stop(TaskActionRequest.newBuilder().setTaskId("nope").build()), "task_id");
    assertInvalid(() -> tasks.get(GetTaskRequest.newBuilder().build()), "task_id");
    assertInvalid(() -> tasks.list(ListTasksRequest.newBuilder().setPageToken("zz").build()), "page_token");

    var nodes = ClusterServiceGrpc.newBlockingStub(cluster.channel(leader)).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertInvalid(() -> nodes.drainNode(DrainNodeRequest.newBuilder().setDeadlineMs(60_000).build()), "node_id");
    assertInvalid(() -> nodes.drainNode(DrainNodeRequest.newBuilder().setNodeId("n1").setDeadlineMs(-1).build()),
        "deadline_ms");
    assertInvalid(() -> nodes.drainNode(DrainNodeRequest.newBuilder().setNodeId("n1")
        .setDeadlineMs(Duration.ofDays(7).toMillis() + 1).build()), "deadline_ms");
    assertInvalid(() -> nodes.drainStatus(DrainStatusRequest.getDefaultInstance()), "node_id");
    assertThat(refused(() -> nodes.drainStatus(DrainStatusRequest.newBuilder().setNodeId("n404").build()))
        .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertInvalid(() -> nodes.setRebalanceSettings(RebalanceSettings.newBuilder().setThresholdPercent(101).build()),
        "settings.threshold_percent");
    assertThat(nodes.getRebalanceSettings(GetRebalanceSettingsRequest.getDefaultInstance()).getThresholdPercent())
        .isEqualTo(20);

    assertThat(refused(() -> tasks.stop(TaskActionRequest.newBuilder().setTaskId("t999").build()))
        .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(refused(() -> tasks.get(GetTaskRequest.newBuilder().setTaskId("t999").build()))
        .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    // Above gRPC's 4 MiB inbound limit: refused before parsing.
    assertThat(refused(() -> tasks.submit(spec(TaskSpec.newBuilder().setCommand("x")
        .addArgs("z".repeat(5 << 20))))).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // Garbage on the API port: the server drops that connection and keeps serving.
    int port = cluster.peers().get(leader).apiPort();
    try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
      out.write("GET / HTTP/1.1\r\n\r\n\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    assertThat(Requests.listAll(cluster.channel(leader), ReadConsistency.LINEARIZABLE)).hasSize(1);
    assertThat(cluster.awaitConverged()).isEqualTo(index);
    assertThat(cluster.digests()).isEqualTo(before);
  }
}
