package org.openautoglm.oag.coordinator;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.ListTasksReply;
import org.openautoglm.oag.api.v1.ListTasksRequest;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RequestMeta;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskServiceGrpc;
import org.openautoglm.oag.api.v1.TaskSpec;

/** Request builders and small call helpers for the in-process cluster tests. */
public final class Requests {
  private Requests() {}

  public static CreateTaskRequest submit(String clientId, String requestId, String name) {
    return CreateTaskRequest.newBuilder()
        .setMeta(RequestMeta.newBuilder().setClientId(clientId).setRequestId(requestId))
        .setSpec(TaskSpec.newBuilder().setName(name).setCommand("sleep").addArgs("100")
            .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryMib(64)))
        .build();
  }

  public static TaskServiceGrpc.TaskServiceBlockingStub tasks(Channel channel) {
    return TaskServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Every task, all pages, read with the given consistency from the node behind channel. */
  public static List<Task> listAll(Channel channel, ReadConsistency consistency) {
    List<Task> all = new ArrayList<>();
    String token = "";
    do {
      ListTasksReply page = tasks(channel).list(ListTasksRequest.newBuilder()
          .setPageSize(500).setPageToken(token).setConsistency(consistency).build());
      all.addAll(page.getTasksList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  /** The call's status code name, or "OK". */
  public static String code(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }
}
