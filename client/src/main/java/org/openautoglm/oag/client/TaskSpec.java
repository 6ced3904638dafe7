package org.openautoglm.oag.client;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;

/**
 * Client-side builder of a task, in the words of the original design:
 *
 * <pre>{@code
 * TaskSpec.command("python3", "serve.py")
 *     .type("inference").label("model", "glm-large").input("batch_001.json")
 *     .cpu(0.5).memoryMiB(512)
 * }</pre>
 *
 * {@code type}, {@code model} and {@code input} are the labels "type", "model" and "input";
 * {@code cpu} is in cores and is sent as millicores. Mutable and not thread-safe: build it on
 * one thread; {@link #toProto()} takes a snapshot. Validation of the content (non-empty
 * command, limits) is the server's: a bad spec fails with {@link InvalidArgumentException}.
 */
public final class TaskSpec {
  private final String command;
  private final List<String> args;
  private String name = "";
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private int cpuMillis;
  private long memoryMiB;
  private int gpus;
  private RestartPolicy restart = RestartPolicy.RESTART_NEVER;
  private int priority;
  private String workingDir = "";

  private TaskSpec(String command, List<String> args) {
    this.command = Objects.requireNonNull(command, "command");
    this.args = List.copyOf(args);
  }

  /** The executable and its arguments. */
  public static TaskSpec command(String command, String... args) {
    return new TaskSpec(command, Arrays.asList(args));
  }

  public static TaskSpec command(String command, List<String> args) {
    return new TaskSpec(command, args);
  }

  public TaskSpec name(String v) { name = Objects.requireNonNull(v); return this; }
  public TaskSpec type(String v) { return label("type", v); }
  public TaskSpec model(String v) { return label("model", v); }
  public TaskSpec input(String v) { return label("input", v); }
  public TaskSpec label(String key, String value) { labels.put(key, value); return this; }
  public TaskSpec env(String key, String value) { env.put(key, value); return this; }

  /** CPU in cores (0.5 = half a core), rounded to whole millicores. */
  public TaskSpec cpu(double cores) {
    if (!(cores >= 0) || cores > Integer.MAX_VALUE / 1000.0) {
      throw new IllegalArgumentException("cpu must be a non-negative number of cores: " + cores);
    }
    cpuMillis = (int) Math.round(cores * 1000);
    return this;
  }

  public TaskSpec cpuMillis(int v) { cpuMillis = nonNegative("cpuMillis", v); return this; }

  public TaskSpec memoryMiB(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("memoryMiB must not be negative: " + v);
    }
    memoryMiB = v;
    return this;
  }

  public TaskSpec gpus(int v) { gpus = nonNegative("gpus", v); return this; }
  public TaskSpec restart(RestartPolicy v) { restart = Objects.requireNonNull(v); return this; }
  /** Higher is placed first. */
  public TaskSpec priority(int v) { priority = v; return this; }
  public TaskSpec workingDir(String v) { workingDir = Objects.requireNonNull(v); return this; }

  public org.openautoglm.oag.api.v1.TaskSpec toProto() {
    return org.openautoglm.oag.api.v1.TaskSpec.newBuilder()
        .setName(name)
        .setCommand(command)
        .addAllArgs(args)
        .putAllEnv(env)
        .setResources(Resources.newBuilder()
            .setCpuMillis(cpuMillis).setMemoryMib(memoryMiB).setGpus(gpus))
        .setRestart(restart)
        .putAllLabels(labels)
        .setPriority(priority)
        .setWorkingDir(workingDir)
        .build();
  }

  private static int nonNegative(String what, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + v);
    }
    return v;
  }
}
