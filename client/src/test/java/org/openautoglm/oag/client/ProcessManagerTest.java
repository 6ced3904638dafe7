package org.openautoglm.oag.client;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;

class ProcessManagerTest extends ClientTestSupport {

  @Test
  void theOriginalDesignsSpecMapsToLabelsAndMillicores() {
    var p = TaskSpec.command("python3", "serve.py")
        .type("inference").label("model", "glm-large").input("batch_001.json")
        .cpu(0.5).memoryMiB(512).gpus(1).restart(RestartPolicy.RESTART_ON_FAILURE)
        .env("A", "1").name("serve").priority(5).toProto();

    assertEquals("python3", p.getCommand());
    assertEquals(List.of("serve.py"), p.getArgsList());
    assertEquals(Map.of("type", "inference", "model", "glm-large", "input", "batch_001.json"),
        p.getLabelsMap());
    assertEquals(500, p.getResources().getCpuMillis());
    assertEquals(512, p.getResources().getMemoryMib());
    assertEquals(1, p.getResources().getGpus());
    assertEquals(RestartPolicy.RESTART_ON_FAILURE, p.getRestart());
    assertEquals(Map.of("A", "1"), p.getEnvMap());
    assertEquals(5, p.getPriority());
  }

  @Test
  void aProcessGoesThroughItsLifecycle() throws Exception {
    fake("n1");
    try (ProcessManager pm = ProcessManager.using(client(config("n1")))) {
      ManagedProcess p = pm.create(TaskSpec.command("sleep", "100").model("glm-large"));
      assertEquals(TaskState.CREATED, p.status());
      assertEquals(TaskState.PENDING, p.start().task().getState());
      assertEquals(TaskState.PAUSED, p.pause().task().getState());
      assertEquals(TaskState.RUNNING, p.resume().task().getState());
      assertEquals(TaskState.STOPPED, p.stop().task().getState());
      assertEquals(TaskState.PENDING, pm.submit(TaskSpec.command("true")).status());
    }
  }

  @Test
  void listAllWalksEveryPage() throws Exception {
    FakeCoordinator leader = fake("n1");
    CoordinatorClient client = client(config("n1"));
    for (int i = 0; i < 5; i++) {
      client.submit(TaskSpec.command("true").name("job-" + i));
    }

    List<String> names = client.listAll(TaskQuery.all().withPageSize(2).withNamePrefix("job-"))
        .map(t -> t.getSpec().getName()).collect(Collectors.toList());

    assertEquals(List.of("job-0", "job-1", "job-2", "job-3", "job-4"), names);
    assertEquals(5 + 3, leader.calls(), "three pages");
    TaskPage first = client.list(TaskQuery.all().withPageSize(2), "");
    assertEquals(2, first.tasks().size());
    Task t = first.tasks().get(0);
    assertEquals("t1", t.getId());
  }
}
