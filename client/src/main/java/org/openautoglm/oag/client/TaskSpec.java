package org.openautoglm.oag.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.PlacementStrategy;
import org.openautoglm.oag.api.v1.Readiness;
import org.openautoglm.oag.api.v1.Resources;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Thresholds;

/**
 * Client-side builder of a task, in the words of the original design:
 *
 * <pre>{@code
 * TaskSpec.command("python3", "serve.py")
 *     .type("inference").label("model", "glm-large").input("batch_001.json")
 *     .cpu(0.5).memoryMiB(512)
 *     .fencing(FencingMode.FENCING_AVAILABLE)
 *     .maxMemoryMiB(2048).maxCpu(150, Duration.ofMinutes(1)).killOnThreshold(true)
 *     .stopGrace(Duration.ofSeconds(30))
 *     .readinessTcp(8080).movable(true)
 * }</pre>
 *
 * {@code type}, {@code model} and {@code input} are the labels "type", "model" and "input";
 * {@code cpu} is in cores and is sent as millicores. The thresholds are limits the agent
 * enforces on the running process (0 = none); crossing one restarts it, or kills it (the
 * task ends FAILED) with {@link #killOnThreshold(boolean)}. A readiness check (a TCP port or
 * a command; the last one set wins) tells when a running instance serves, so that an available
 * task is migrated make-before-break. Durations are sent in whole
 * milliseconds. Mutable and not thread-safe: build it on
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
  private FencingMode fencing = FencingMode.FENCING_MODE_UNSPECIFIED;
  private long maxMemoryMiB;
  private int maxCpuPercent;
  private long cpuForMs;
  private long maxRuntimeMs;
  private boolean killOnThreshold;
  private long stopGraceMs;
  private final List<String> constraints = new java.util.ArrayList<>();
  private PlacementStrategy placement = PlacementStrategy.PLACEMENT_STRATEGY_UNSPECIFIED;
  private int readinessPort;
  private List<String> readinessCommand = List.of();
  private long readinessPeriodMs;
  private long readinessTimeoutMs;
  private boolean movable;

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

  /**
   * EXCLUSIVE (the server's default): never two live instances, killed on its host when
   * the node's lease lapses; AVAILABLE: kept running through lapses, may briefly run twice.
   */
  public TaskSpec fencing(FencingMode v) { fencing = Objects.requireNonNull(v); return this; }

  /**
   * Only nodes whose labels match: {@code "gpu.model=H100"} (the node has the label with that
   * value) or {@code "zone!=a"} (it does not); repeatable, all must hold. The server checks
   * the form.
   */
  public TaskSpec constraint(String c) { constraints.add(Objects.requireNonNull(c)); return this; }

  /** BINPACK (the server's default): the fullest node that fits; SPREAD: the emptiest. */
  public TaskSpec placement(PlacementStrategy v) { placement = Objects.requireNonNull(v); return this; }

  /**
   * Ready once a TCP connect to {@code port} on 127.0.0.1 succeeds (on the task's node);
   * replaces a readiness command.
   */
  public TaskSpec readinessTcp(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("readiness port must be 1-65535: " + port);
    }
    readinessPort = port;
    readinessCommand = List.of();
    return this;
  }

  /**
   * Ready once {@code argv} (program, then arguments; no shell) exits 0, run in the task's
   * working directory with its environment; replaces a readiness port.
   */
  public TaskSpec readinessCommand(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("readiness command must name a program");
    }
    readinessCommand = List.copyOf(argv);
    readinessPort = 0;
    return this;
  }

  public TaskSpec readinessCommand(String program, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(program));
    argv.addAll(Arrays.asList(args));
    return readinessCommand(argv);
  }

  /** How often the readiness check runs; zero = the server's default (1 s). */
  public TaskSpec readinessPeriod(Duration v) { readinessPeriodMs = millis("readinessPeriod", v); return this; }

  /** How long one readiness check may take; zero = the server's default (1 s). */
  public TaskSpec readinessTimeout(Duration v) { readinessTimeoutMs = millis("readinessTimeout", v); return this; }

  /** Whether the rebalancer may migrate the task to even out load (default: no). */
  public TaskSpec movable(boolean v) { movable = v; return this; }

  /** Restart (or kill) the process when its resident memory exceeds this; 0 = no limit. */
  public TaskSpec maxMemoryMiB(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("maxMemoryMiB must not be negative: " + v);
    }
    maxMemoryMiB = v;
    return this;
  }

  /**
   * Restart (or kill) the process when it uses more than {@code percent} of one core (100 =
   * one core) for {@code forHowLong} on end; {@code (0, Duration.ZERO)} clears the limit.
   */
  public TaskSpec maxCpu(int percent, Duration forHowLong) {
    long ms = millis("maxCpu duration", forHowLong);
    if (percent < 0 || (percent == 0) != (ms == 0)) {
      throw new IllegalArgumentException(
          "maxCpu needs a percent > 0 and a duration > 0 together (or both 0): "
              + percent + ", " + forHowLong);
    }
    maxCpuPercent = percent;
    cpuForMs = ms;
    return this;
  }

  /** Restart (or kill) the process once it has run this long; zero = no limit. */
  public TaskSpec maxRuntime(Duration v) { maxRuntimeMs = millis("maxRuntime", v); return this; }

  /** What crossing a threshold does: kill (the task ends FAILED) or, by default, restart. */
  public TaskSpec killOnThreshold(boolean kill) { killOnThreshold = kill; return this; }

  /** SIGTERM, then SIGKILL after this on stop; zero = the server's default (10 s). */
  public TaskSpec stopGrace(Duration v) { stopGraceMs = millis("stopGrace", v); return this; }

  public org.openautoglm.oag.api.v1.TaskSpec toProto() {
    var b = org.openautoglm.oag.api.v1.TaskSpec.newBuilder()
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
        .setFencing(fencing)
        .setStopGraceMs(stopGraceMs)
        .addAllConstraints(constraints)
        .setPlacement(placement)
        .setMovable(movable);
    Readiness ready = Readiness.newBuilder().setTcpPort(readinessPort).addAllCommand(readinessCommand)
        .setPeriodMs(readinessPeriodMs).setTimeoutMs(readinessTimeoutMs).build();
    if (!ready.equals(Readiness.getDefaultInstance())) {
      b.setReadiness(ready);
    }
    Thresholds t = Thresholds.newBuilder()
        .setMaxMemoryMib(maxMemoryMiB).setMaxCpuPercent(maxCpuPercent).setCpuForMs(cpuForMs)
        .setMaxRuntimeMs(maxRuntimeMs).setKill(killOnThreshold).build();
    if (!t.equals(Thresholds.getDefaultInstance())) {
      b.setThresholds(t);
    }
    return b.build();
  }

  private static long millis(String what, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(what + " is too long: " + d);
    }
  }

  private static int nonNegative(String what, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + v);
    }
    return v;
  }
}
