package org.openautoglm.oag.coordinator.state;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openautoglm.oag.command.v1.AllocationReport;
import org.openautoglm.oag.command.v1.BatchResult;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.PlaceTasks;
import org.openautoglm.oag.command.v1.Placement;
import org.openautoglm.oag.command.v1.RegisterNode;
import org.openautoglm.oag.command.v1.ReportAllocations;
import org.openautoglm.oag.command.v1.SubmitTask;
import org.openautoglm.oag.command.v1.UpdateTaskDesired;
import org.openautoglm.oag.command.v1.UpdateTaskDesired.Action;
import org.openautoglm.oag.state.v1.AllocationStatus;
import org.openautoglm.oag.state.v1.CapacityRecord;
import org.openautoglm.oag.state.v1.Desired;
import org.openautoglm.oag.state.v1.GpuRecord;
import org.openautoglm.oag.state.v1.TaskRecord;
import org.openautoglm.oag.state.v1.TaskSpecRecord;
import org.openautoglm.oag.state.v1.TaskStatus;

/** Builders of commands and records shared by the tests of this package. */
final class Fixtures {

  static final StoreSettings SMALL = new StoreSettings(
      Duration.ofHours(24), Duration.ofHours(24), 8L << 20, 8L << 20);

  private Fixtures() {}

  /**
   * Task views over a map standing in for RocksDB's task rows, for tests of the views and
   * appliers without a store. {@link #commit} does what the store does with a batch: write
   * the rows, then publish.
   */
  static final class MemoryTasks {
    final Map<Long, TaskRecord> rows = new ConcurrentHashMap<>();
    final TaskViews views = new TaskViews(rows::get);

    void put(long seq, TaskRecord task) {
      rows.put(seq, task);
      views.put(seq, task);
    }

    void remove(long seq) {
      rows.remove(seq);
      views.remove(seq);
    }

    void commit(WorkingSet ws) {
      ws.taskChanges().forEach((seq, task) -> {
        if (task == null) {
          rows.remove(seq);
        } else {
          rows.put(seq, task);
        }
      });
      ws.publish();
    }
  }

  static TaskSpecRecord spec(String name) {
    return TaskSpecRecord.newBuilder()
        .setName(name)
        .setCommand("/usr/bin/python3")
        .addArgs("serve.py")
        .putEnv("MODEL", "glm-4")
        .putLabels("type", "inference")
        .setCpuMillis(500)
        .setMemoryMib(1024)
        .build();
  }

  static CommandHeader header(long term, long timeMs) {
    return CommandHeader.newBuilder().setVersion(1).setTerm(term).setTimeMs(timeMs).build();
  }

  static CommandHeader header(long term, long timeMs, String clientId, String requestId) {
    return header(term, timeMs).toBuilder().setClientId(clientId).setRequestId(requestId).build();
  }

  static Command submit(CommandHeader header, TaskSpecRecord spec, boolean start) {
    return Command.newBuilder()
        .setHeader(header)
        .setSubmitTask(SubmitTask.newBuilder().setSpec(spec).setStart(start))
        .build();
  }

  static Command submit(long term, long timeMs, String name) {
    return submit(header(term, timeMs), spec(name), true);
  }

  static Command update(CommandHeader header, String taskId, Action action) {
    return Command.newBuilder()
        .setHeader(header)
        .setUpdateTaskDesired(UpdateTaskDesired.newBuilder().setTaskId(taskId).setAction(action))
        .build();
  }

  static Command update(long term, long timeMs, String taskId, Action action) {
    return update(header(term, timeMs), taskId, action);
  }

  /** A node with {@code cpuMillis}, {@code memoryMib} and {@code gpus} GPUs of 80 GiB each. */
  static RegisterNode node(String id, String bootId, int cpuMillis, long memoryMib, int gpus) {
    CapacityRecord.Builder capacity = CapacityRecord.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMib);
    for (int i = 0; i < gpus; i++) {
      capacity.addGpus(GpuRecord.newBuilder().setIndex(i).setModel("H100").setMemoryMib(81_559));
    }
    return RegisterNode.newBuilder().setNodeId(id).setBootId(bootId).setAddress(id + ".local")
        .setCapacity(capacity).putLabels("zone", "a").build();
  }

  static Command register(long term, long timeMs, RegisterNode node) {
    return Command.newBuilder().setHeader(header(term, timeMs)).setRegisterNode(node).build();
  }

  static Placement placement(String taskId, String node, long expectedVersion) {
    return Placement.newBuilder().setTaskId(taskId).setNode(node).setExpectedVersion(expectedVersion).build();
  }

  static Command place(long term, long timeMs, Placement... placements) {
    return Command.newBuilder().setHeader(header(term, timeMs))
        .setPlaceTasks(PlaceTasks.newBuilder().addAllPlacements(List.of(placements))).build();
  }

  /** A report on generation {@code generation} of {@code taskId}. */
  static AllocationReport.Builder report(String taskId, long generation, AllocationStatus status) {
    return AllocationReport.newBuilder().setTaskId(taskId).setAllocationId(taskId + "." + generation)
        .setGeneration(generation).setStatus(status);
  }

  static Command reports(long term, long timeMs, String node, AllocationReport.Builder... reports) {
    ReportAllocations.Builder body = ReportAllocations.newBuilder().setNode(node).setBootId("boot-1");
    for (AllocationReport.Builder r : reports) {
      body.addReports(r);
    }
    return Command.newBuilder().setHeader(header(term, timeMs)).setReportAllocations(body).build();
  }

  static CommandBatch batch(Command... commands) {
    return CommandBatch.newBuilder().addAllCommands(List.of(commands)).build();
  }

  static TaskRecord task(long seq, TaskStatus status, String node) {
    return TaskRecord.newBuilder()
        .setId(Keys.taskId(seq))
        .setSpec(spec("task-" + seq))
        .setStatus(status)
        .setDesired(Desired.RUN)
        .setNode(node)
        .setCreatedAtMs(1_000)
        .setUpdatedAtMs(1_000)
        .setVersion(1)
        .build();
  }

  static StateStore open(Path dir) throws IOException {
    return StateStore.open(dir, SMALL);
  }

  /** Feeds a store one entry after another, as the Raft apply thread would. */
  static final class Feeder {
    final StateStore store;
    long index;

    Feeder(StateStore store) {
      this.store = store;
      this.index = store.meta().getAppliedIndex();
    }

    BatchResult apply(long term, Command... commands) throws IOException {
      CommandBatch batch = batch(commands);
      return store.applyBatch(term, ++index, batch, batch.toByteArray());
    }

    CommandResult one(long term, Command command) throws IOException {
      return apply(term, command).getResults(0);
    }
  }
}
