package org.openautoglm.oag.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openautoglm.oag.api.v1.FencingMode;
import org.openautoglm.oag.api.v1.PlacementStrategy;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.api.v1.TaskState;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.LogQuery;
import org.openautoglm.oag.client.TaskQuery;
import org.openautoglm.oag.client.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code oag task ...}: submit, create, get, list, logs, start, stop, pause, resume. */
@Command(name = "task", description = "Submit and manage tasks.",
    subcommands = {
        TaskCommand.Submit.class, TaskCommand.Create.class, TaskCommand.Get.class,
        TaskCommand.ListTasks.class, TaskCommand.Logs.class, TaskCommand.Start.class,
        TaskCommand.Stop.class, TaskCommand.Pause.class, TaskCommand.Resume.class,
    })
final class TaskCommand {

  /** The options of submit and create; builds the client-side spec. */
  static final class SpecOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--name", paramLabel = "NAME", description = "Task name.")
    String name = "";

    @Option(names = "--cpu", converter = Units.Cpu.class, paramLabel = "CORES",
        description = "CPU in cores: 0.5, 2, 500m (default: 0).")
    double cpu;

    @Option(names = "--memory", converter = Units.Memory.class, paramLabel = "SIZE",
        description = "Memory: 512 (MiB), 256Mi, 1Gi (default: 0).")
    long memoryMiB;

    @Option(names = "--gpus", converter = Units.NonNegativeInt.class, paramLabel = "N",
        description = "GPUs (default: 0).")
    int gpus;

    @Option(names = "--restart", converter = Units.Restart.class, paramLabel = "POLICY",
        description = "never, on-failure or always (default: never).")
    RestartPolicy restart = RestartPolicy.RESTART_NEVER;

    @Option(names = "--priority", paramLabel = "P", description = "Higher is placed first (default: 0).")
    int priority;

    @Option(names = "--fencing", converter = Units.Fencing.class, paramLabel = "MODE",
        description = "exclusive: never two live instances, killed on its node when the node's "
            + "lease lapses; available: kept running through lapses, may briefly run twice "
            + "(default: exclusive).")
    FencingMode fencing = FencingMode.FENCING_MODE_UNSPECIFIED;

    @Option(names = "--max-memory", converter = Units.Memory.class, paramLabel = "SIZE",
        description = "Act (see --on-threshold) when the process's resident memory exceeds "
            + "this: 512 (MiB), 2Gi (default: no limit).")
    long maxMemoryMiB;

    @Option(names = "--max-cpu", converter = Units.Percent.class, paramLabel = "PERCENT",
        description = "Act when the process uses more CPU than this (100 = one core) for "
            + "--for on end; needs --for.")
    Integer maxCpuPercent;

    @Option(names = "--for", converter = Units.Span.class, paramLabel = "DURATION",
        description = "How long --max-cpu must be exceeded: 30s, 5m; needs --max-cpu.")
    Duration cpuFor;

    @Option(names = "--max-runtime", converter = Units.Span.class, paramLabel = "DURATION",
        description = "Act when the process has run this long: 90s, 2h, 1h30m "
            + "(default: no limit).")
    Duration maxRuntime;

    @Option(names = "--on-threshold", paramLabel = "ACTION",
        description = "What crossing a limit does: restart the process, or kill it (the task "
            + "ends FAILED) (default: restart).")
    Units.OnThreshold onThreshold = Units.OnThreshold.restart;

    @Option(names = "--stop-grace", converter = Units.Span.class, paramLabel = "DURATION",
        description = "On stop, SIGTERM, then SIGKILL after this (default: 10s).")
    Duration stopGrace;

    @Option(names = "--constraint", paramLabel = "KEY=VALUE|KEY!=VALUE",
        description = "Only nodes whose labels match, e.g. gpu.model=H100 or zone!=a; "
            + "repeatable, all must hold.")
    List<String> constraints = new ArrayList<>();

    @Option(names = "--spread",
        description = "Place on the emptiest node that fits (default: the fullest, bin-packing).")
    boolean spread;

    @Option(names = "--ready-tcp", converter = Units.Port.class, paramLabel = "PORT",
        description = "Ready once a TCP connect to this port on 127.0.0.1 succeeds; with a "
            + "readiness check an available task migrates make-before-break. Not with --ready-cmd.")
    Integer readyTcp;

    @Option(names = "--ready-cmd", paramLabel = "'CMD ARGS...'",
        description = "Ready once this command exits 0 (run in the task's working directory with "
            + "its env); split on whitespace and run without a shell, so for shell syntax give "
            + "a script. Not with --ready-tcp.")
    String readyCmd;

    @Option(names = "--ready-period", converter = Units.Span.class, paramLabel = "DURATION",
        description = "How often the readiness check runs (default: 1s); needs --ready-tcp or --ready-cmd.")
    Duration readyPeriod;

    @Option(names = "--ready-timeout", converter = Units.Span.class, paramLabel = "DURATION",
        description = "How long one readiness check may take (default: 1s); needs --ready-tcp or "
            + "--ready-cmd.")
    Duration readyTimeout;

    @Option(names = "--movable", description = "Let the rebalancer migrate the task to even out load.")
    boolean movable;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--env", paramLabel = "KEY=VALUE",
        description = "An environment variable; repeatable.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--request-id", paramLabel = "ID",
        description = "Idempotency key; repeat a call with the same id to retry it safely "
            + "(default: a new UUID).")
    String requestId;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "-- command and arguments.")
    List<String> command = new ArrayList<>();

    TaskSpec toSpec() {
      TaskSpec s = TaskSpec.command(command.get(0), command.subList(1, command.size()))
          .name(name).cpu(cpu).memoryMiB(memoryMiB).gpus(gpus).restart(restart)
          .priority(priority).fencing(fencing).maxMemoryMiB(maxMemoryMiB)
          .killOnThreshold(onThreshold == Units.OnThreshold.kill);
      if ((maxCpuPercent == null) != (cpuFor == null)) {
        throw new ParameterException(mixee.commandLine(), maxCpuPercent == null
            ? "--for needs --max-cpu: give both or neither"
            : "--max-cpu needs --for (how long it must be exceeded): give both or neither");
      }
      if (maxCpuPercent != null) {
        s.maxCpu(maxCpuPercent, cpuFor);
      }
      if (maxRuntime != null) {
        s.maxRuntime(maxRuntime);
      }
      if (stopGrace != null) {
        s.stopGrace(stopGrace);
      }
      for (String c : constraints) {
        if (!c.matches("[^=!\\s]+!?=\\S*")) {
          throw new ParameterException(mixee.commandLine(), "Invalid value for option '--constraint': '"
              + c + "' is not KEY=VALUE or KEY!=VALUE");
        }
        s.constraint(c);
      }
      if (spread) {
        s.placement(PlacementStrategy.PLACEMENT_SPREAD);
      }
      readiness(s);
      s.movable(movable);
      labels.forEach(s::label);
      env.forEach(s::env);
      return s;
    }

    private void readiness(TaskSpec s) {
      if (readyTcp != null && readyCmd != null) {
        throw new ParameterException(mixee.commandLine(),
            "--ready-tcp and --ready-cmd are two kinds of readiness check: give one");
      }
      if (readyTcp == null && readyCmd == null) {
        if (readyPeriod != null || readyTimeout != null) {
          throw new ParameterException(mixee.commandLine(), (readyPeriod != null ? "--ready-period" : "--ready-timeout")
              + " needs a readiness check: --ready-tcp or --ready-cmd");
        }
        return;
      }
      if (readyTcp != null) {
        s.readinessTcp(readyTcp);
      } else {
        List<String> argv = readyCmd.isBlank() ? List.of() : List.of(readyCmd.strip().split("\\s+"));
        if (argv.isEmpty()) {
          throw new ParameterException(mixee.commandLine(), "Invalid value for option '--ready-cmd': "
              + "it names no command");
        }
        s.readinessCommand(argv);
      }
      if (readyPeriod != null) {
        s.readinessPeriod(readyPeriod);
      }
      if (readyTimeout != null) {
        s.readinessTimeout(readyTimeout);
      }
    }

    String requestId() {
      return requestId != null ? requestId : CoordinatorClient.newRequestId();
    }
  }

  @Command(name = "submit", showEndOfOptionsDelimiterInUsageHelp = true,
      description = "Store a task and start it; prints its id.")
  static final class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Mixin SpecOptions task;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        return printCreated(spec, output, c.submit(task.toSpec().toProto(), task.requestId()));
      }
    }
  }

  @Command(name = "create", showEndOfOptionsDelimiterInUsageHelp = true,
      description = "Store a task without starting it; prints its id.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Mixin SpecOptions task;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        return printCreated(spec, output, c.create(task.toSpec().toProto(), task.requestId()));
      }
    }
  }

  static int printCreated(CommandSpec spec, OutputOptions output, Task t) {
    Output out = new Output(spec.commandLine().getOut());
    if (output.json()) {
      out.json(Output.taskJson(t));
    } else {
      out.line(t.getId());
    }
    return Errors.OK;
  }

  @Command(name = "get", description = "Show one task.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--stale", description = "Let any node answer from its local state.")
    boolean stale;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        // The leader answers, with live CPU/RSS; --stale lets any node answer, without them.
        Task t = stale ? c.get(id, ReadConsistency.STALE) : c.getLive(id);
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(Output.taskJson(t));
        } else {
          out.taskDetail(t);
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "list", description = "List tasks.")
  static final class ListTasks implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Option(names = "--state", paramLabel = "STATE", converter = Units.State.class,
        description = "Only tasks in these states; repeatable: " + Units.State.NAMES + ". "
            + "With only PENDING, the table shows why each task waits.")
    List<TaskState> states = new ArrayList<>();

    @Option(names = "--name-prefix", paramLabel = "P") String namePrefix = "";

    @Option(names = "--node", paramLabel = "N") String node = "";

    @Option(names = "--limit", converter = Units.NonNegativeInt.class, paramLabel = "N",
        description = "Show at most N tasks (default: all).")
    int limit;

    @Option(names = "--stale", description = "Let any node answer from its local state.")
    boolean stale;

    @Override
    public Integer call() {
      TaskQuery q = TaskQuery.all().withStates(states).withNamePrefix(namePrefix).withNode(node)
          .withPageSize(limit > 0 ? Math.min(limit, 1000) : 500)
          .withConsistency(stale ? ReadConsistency.STALE : ReadConsistency.LINEARIZABLE);
      try (CoordinatorClient c = client.connect()) {
        var all = c.listAll(q);
        List<Task> tasks = (limit > 0 ? all.limit(limit) : all).toList();
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(Output.tasksJson(tasks));
        } else if (states.equals(List.of(TaskState.PENDING))) {
          out.pendingTable(tasks);
        } else {
          out.taskTable(tasks);
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "logs",
      description = "Print a task's output (of its current allocation) as it comes; with "
          + "--follow, keep printing until the allocation ends or Ctrl-C.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output.")
    boolean follow;

    @Option(names = "--stderr", description = "Print stderr instead of stdout.")
    boolean stderr;

    @Option(names = "--tail", converter = Units.Bytes.class, paramLabel = "SIZE",
        description = "Start with the last SIZE of output: 4096 (bytes), 64Ki, 1Mi "
            + "(default: 64Ki).")
    long tailBytes;

    @Override
    public Integer call() {
      Output out = new Output(spec.commandLine().getOut());
      LogQuery q = LogQuery.of(id).withFollow(follow).withStderr(stderr).withTailBytes(tailBytes);
      try (CoordinatorClient c = client.connect()) {
        Follow.await(c.logs(q, out::bytes));
        return Errors.OK;
      }
    }
  }

  /** start, stop, pause and resume differ only in the call they make. */
  abstract static class Action implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--request-id", paramLabel = "ID",
        description = "Idempotency key (default: a new UUID).")
    String requestId;

    abstract Task apply(CoordinatorClient c, String taskId, String requestId);

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        Task t = apply(c, id, requestId != null ? requestId : CoordinatorClient.newRequestId());
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(Output.taskJson(t));
        } else {
          out.line(t.getId() + " " + t.getState());
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "start", description = "Start a created task.")
  static final class Start extends Action {
    @Override
    Task apply(CoordinatorClient c, String taskId, String requestId) {
      return c.start(taskId, requestId);
    }
  }

  @Command(name = "stop", description = "Stop a task (SIGTERM, then SIGKILL after a grace period).")
  static final class Stop extends Action {
    @Override
    Task apply(CoordinatorClient c, String taskId, String requestId) {
      return c.stop(taskId, requestId);
    }
  }

  @Command(name = "pause", description = "Pause a running task (SIGSTOP).")
  static final class Pause extends Action {
    @Override
    Task apply(CoordinatorClient c, String taskId, String requestId) {
      return c.pause(taskId, requestId);
    }
  }

  @Command(name = "resume", description = "Resume a paused task (SIGCONT).")
  static final class Resume extends Action {
    @Override
    Task apply(CoordinatorClient c, String taskId, String requestId) {
      return c.resume(taskId, requestId);
    }
  }
}
