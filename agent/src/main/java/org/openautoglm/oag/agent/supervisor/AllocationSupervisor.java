package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.openautoglm.oag.agent.host.GroupSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one allocation on this host: launches it, watches its process group, restarts it
 * as its {@link RestartPolicy} allows, enforces its {@link Thresholds}, rotates its output,
 * and pauses, resumes or stops it on request.
 *
 * <p>Contract: driven from outside. {@link #run()}, {@link #pause()} and {@link #stop} only
 * record the desired state (thread-safe, any thread, idempotent); {@link #step(long)} does
 * whatever is due and returns the {@link Status}. It must be called from one thread (the
 * agent's supervision loop), often enough to notice exits. It starts no threads and never
 * sleeps, except that a stop blocks for up to its grace period (a broken threshold for up to
 * {@link #THRESHOLD_GRACE}). Restart, runtime and CPU-duration timing use only the {@code
 * nowNanos} passed in (a monotonic clock; compared by difference), so it can be tested with a
 * fake clock; process state is read from {@code /proc} and the wrapper's exit file, and
 * CPU rates on the {@link org.openautoglm.oag.agent.host.GroupSampler}'s own clock.
 *
 * <p>Lifecycle: {@code ASSIGNED} until the first step that wants it running, which launches it
 * ({@code RUNNING}). When the group leader is gone, its exit status is read (137 when the
 * wrapper wrote none, i.e. the group was SIGKILLed) and handed to a {@link RestartTracker}:
 * stay down ({@code EXITED}; the caller maps exit code 0 to success), restart later ({@code
 * BACKOFF}, relaunched by the first step at or after the due time, in the same folder, with
 * {@code restarts} counting relaunches) or give up ({@code FAILED}). An exit seen while paused
 * is decided the same way; a granted restart then waits for {@link #run()}. After {@link
 * #stop} the allocation ends {@code KILLED} and is never restarted, whatever the policy;
 * later {@code run()} and {@code pause()} calls are ignored. A launch that fails ends it
 * {@code FAILED}.
 *
 * <p>Thresholds: a running group that breaks one is stopped (SIGTERM, then SIGKILL after
 * {@link #THRESHOLD_GRACE}); with {@link Thresholds.Action#RESTART} the run is decided by
 * {@link RestartTracker#onRestart} (restarted whatever the mode, within the budget and after
 * the backoff), with {@link Thresholds.Action#KILL} it ends {@code KILLED}; the reason names
 * the limit, e.g. "memory 612 MiB above limit 500 MiB".
 *
 * <p>Fencing: nothing is launched or relaunched while {@link SupervisorOptions#lease()} is not
 * valid (the state stays, the reason says "waiting for a valid lease"); each launched group is
 * handed to the lease ({@link LeaseCheck#guard}) and released when the allocation ends. A
 * group the host's keeper killed because the lease lapsed ends {@code FENCED} with reason
 * "lease lapsed" and is never restarted: only a new generation from the leader runs the task
 * again.
 *
 * <p>Re-adoption: {@link #adopt} builds a supervisor over an allocation a previous agent
 * started, from its folder: the pid file's leader (pid and start time, so a reused pid is
 * never adopted) is adopted {@code RUNNING}, or {@code PAUSED} when stopped, without a second
 * instance; one that ended meanwhile is decided with its real exit status; one that had ended
 * for good stays as it was. The restart count survives; the budget's window starts afresh.
 */
public final class AllocationSupervisor {
  private static final Logger log = LoggerFactory.getLogger(AllocationSupervisor.class);
  /** The status of a command whose wrapper recorded none: the whole group was SIGKILLed. */
  static final int SIGKILLED = 128 + 9;
  /** How long a group that broke a threshold gets to end after SIGTERM. */
  public static final Duration THRESHOLD_GRACE = Duration.ofSeconds(2);
  static final String LEASE_LAPSED = "lease lapsed";

  /**
   * What a step found.
   *
   * @param state where the allocation stands
   * @param pid the process group id of the current or, once it ended, the last process; -1
   *     before the first launch
   * @param exitCode the exit status of the last run that ended, or {@code null} while none has
   *     (during a restarted run it is the previous run's)
   * @param restarts how many times the process was relaunched
   * @param reason why it is in this state, for people and events
   */
  public record Status(AllocationState state, long pid, Integer exitCode, int restarts,
      String reason) {}

  /**
   * The allocation's use as of the last step, for heartbeats; zeros while no process runs.
   *
   * @param cpuPercent CPU of the whole group over the sampler's last interval, in percent of
   *     one core
   * @param rssMiB resident memory of the whole group
   * @param uptimeSeconds since the current run's leader started
   * @param restarts as in {@link Status#restarts()}
   * @param gpuPercent SM utilisation summed over the group's GPU processes
   * @param gpuMemoryMiB GPU memory of the group's GPU processes
   */
  public record Metrics(double cpuPercent, long rssMiB, double uptimeSeconds, int restarts,
      double gpuPercent, long gpuMemoryMiB) {}

  private enum Goal { RUN, PAUSE, STOP }

  private record Desired(Goal goal, Duration grace) {}

  private final AllocationDir dir;
  private final ProcessLauncher launcher;
  private final RestartTracker tracker;
  private final ThresholdCheck thresholds;
  private final SupervisorOptions options;
  private final LogRotator logs;
  private final AtomicReference<Desired> desired =
      new AtomicReference<>(new Desired(Goal.RUN, Duration.ZERO));

  // Touched only by the stepping thread.
  private AllocationState state = AllocationState.ASSIGNED;
  private LaunchedProcess process;
  private long startedAtNanos;
  private long restartAtNanos;
  private long pid = -1;
  private Integer exitCode;
  private int restarts;
  private String reason = "assigned";
  private GroupSample sample;
  private boolean endedBeforeAdoption;
  private long commandPid = -1;

  /** Supervises the allocation already persisted in {@code dir}; wants it running. */
  public AllocationSupervisor(AllocationDir dir, RestartPolicy policy, ProcessLauncher launcher) {
    this(dir, policy, Thresholds.NONE, launcher, SupervisorOptions.defaults());
  }

  /** Supervises the allocation already persisted in {@code dir}, within {@code thresholds}. */
  public AllocationSupervisor(AllocationDir dir, RestartPolicy policy, Thresholds thresholds,
      ProcessLauncher launcher, SupervisorOptions options) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.tracker = new RestartTracker(policy);
    this.thresholds = new ThresholdCheck(Objects.requireNonNull(thresholds, "thresholds"));
    this.options = Objects.requireNonNull(options, "options");
    this.logs = new LogRotator(dir, options.logRotation());
  }

  /**
   * Persists {@code allocation} under {@code data} and returns its supervisor, which launches
   * it on its first step; so the record is durable before anything runs.
   */
  public static AllocationSupervisor start(Path data, Allocation allocation, RestartPolicy policy,
      ProcessLauncher launcher) throws IOException {
    return start(data, allocation, policy, Thresholds.NONE, launcher, SupervisorOptions.defaults());
  }

  /**
   * Persists {@code allocation}, its policy and thresholds under {@code data} and returns its
   * supervisor, which launches it on its first step (once the lease, if any, is valid).
   */
  public static AllocationSupervisor start(Path data, Allocation allocation, RestartPolicy policy,
      Thresholds thresholds, ProcessLauncher launcher, SupervisorOptions options)
      throws IOException {
    AllocationDir dir = AllocationDir.create(data, allocation);
    SupervisorRecord.writeSupervision(dir, policy, thresholds);
    return new AllocationSupervisor(dir, policy, thresholds, launcher, options);
  }

  /**
   * Re-adopts an allocation a previous agent persisted in {@code dir}, with the policy and
   * thresholds persisted with it (never restart and no limits when there are none). See
   * the class comment; use {@link AllocationDir#list} to find them all.
   */
  public static AllocationSupervisor adopt(AllocationDir dir, ProcessLauncher launcher,
      SupervisorOptions options, long nowNanos) {
    SupervisorRecord.Supervision s = SupervisorRecord.readSupervision(dir).orElse(
        new SupervisorRecord.Supervision(RestartPolicy.defaults(RestartPolicy.Mode.NEVER),
            Thresholds.NONE));
    return adopt(dir, s.policy(), s.thresholds(), launcher, options, nowNanos);
  }

  /**
   * Re-adopts an allocation a previous agent persisted in {@code dir}, under the given policy
   * and thresholds: the returned supervisor's {@link #status()} already says what was found.
   * It wants the state found (running, or paused for a stopped group) until told otherwise.
   */
  public static AllocationSupervisor adopt(AllocationDir dir, RestartPolicy policy,
      Thresholds thresholds, ProcessLauncher launcher, SupervisorOptions options, long nowNanos) {
    AllocationSupervisor s = new AllocationSupervisor(dir, policy, thresholds, launcher, options);
    s.adoptAt(nowNanos);
    return s;
  }

  /** Wants it running: launched if not yet, resumed if paused. Ignored after a stop. */
  public void run() {
    desired.updateAndGet(d -> d.goal() == Goal.STOP ? d : new Desired(Goal.RUN, Duration.ZERO));
  }

  /** Wants it paused (SIGSTOP to its group); a granted restart waits. Ignored after a stop. */
  public void pause() {
    desired.updateAndGet(d -> d.goal() == Goal.STOP ? d : new Desired(Goal.PAUSE, Duration.ZERO));
  }

  /**
   * Wants it stopped for good: SIGTERM, up to {@code grace} to end, then SIGKILL (see {@link
   * LaunchedProcess#stop}). The first call's grace counts.
   */
  public void stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    desired.updateAndGet(d -> d.goal() == Goal.STOP ? d : new Desired(Goal.STOP, grace));
  }

  /** Does what is due at {@code nowNanos} and returns the status. */
  public Status step(long nowNanos) {
    Desired want = desired.get();
    if (!state.isFinal()) {
      if (want.goal() == Goal.STOP) {
        stopProcess(want.grace());
      } else {
        observeExit(nowNanos);
        if (!state.isFinal()) {
          if (want.goal() == Goal.RUN) {
            toRunning(nowNanos);
          } else {
            toPaused();
          }
        }
        measure(nowNanos);
      }
      logs.rotateIfDue(nowNanos);
    }
    return status();
  }

  /**
   * The pid of the current run's command (the wrapper's child, what a person would signal),
   * or the group id when the wrapper has not recorded it yet; -1 before the first launch.
   */
  public long commandPid() {
    if (process != null && commandPid <= 0) {
      commandPid = dir.commandPid().orElse(-1L);
    }
    return commandPid > 0 ? commandPid : pid;
  }

  /** The status as of the last step. */
  public Status status() {
    return new Status(state, pid, exitCode, restarts, reason);
  }

  /** The group's use as of the last step (sampled while a process runs or is paused). */
  public Metrics metrics() {
    GroupSample s = process == null ? null : sample;
    return s == null ? new Metrics(0, 0, 0, restarts, 0, 0)
        : new Metrics(s.cpuPercent(), s.rssMiB(), s.uptimeSeconds(), restarts, s.gpuPercent(),
            s.gpuMemoryMiB());
  }

  public AllocationDir dir() {
    return dir;
  }

  /**
   * Whether {@link #adopt} found this allocation already ended and reported by a previous
   * agent (as opposed to one that ended while no agent watched, which is news to report).
   */
  public boolean endedBeforeAdoption() {
    return endedBeforeAdoption;
  }

  private void adoptAt(long nowNanos) {
    Optional<Status> last = SupervisorRecord.readStatus(dir);
    restarts = last.map(Status::restarts).orElse(0);
    if (last.isPresent() && last.get().state().isFinal()) {
      Status s = last.get();
      endedBeforeAdoption = true;
      state = s.state();
      pid = s.pid();
      exitCode = s.exitCode();
      reason = s.reason();
      return;
    }
    Optional<LaunchedProcess> found = launcher.reattach(dir);
    if (found.isEmpty()) {
      reason = "adopted; never launched";
      return;
    }
    process = found.get();
    pid = process.pgid();
    exitCode = last.map(Status::exitCode).orElse(null);
    if (!process.alive()) {
      startedAtNanos = nowNanos;
      state = AllocationState.RUNNING;
      observeExit(nowNanos);
    } else {
      startedAtNanos = nowNanos - (long) (process.uptimeSeconds() * 1e9);
      guard();
      if (process != null && process.stopped()) {
        state = AllocationState.PAUSED;
        reason = "adopted paused";
        desired.set(new Desired(Goal.PAUSE, Duration.ZERO));
      } else if (process != null) {
        state = AllocationState.RUNNING;
        reason = "adopted";
      }
    }
    log.info("event=allocation_adopted alloc={} pgid={} state={} reason=\"{}\"", id(), pid, state,
        reason);
  }

  private void observeExit(long nowNanos) {
    if (process == null || process.alive()) {
      return;
    }
    int status = process.exitStatus().orElse(SIGKILLED);
    boolean lapsed = options.lease().lapsed(process.pgid(), process.startTicks());
    try {
      process.killStragglers();
    } catch (IOException e) {
      log.warn("event=stragglers_not_killed alloc={} pgid={} reason=\"{}\"", id(), pid, e.toString());
    }
    exitCode = status;
    process = null;
    commandPid = -1;
    if (lapsed) {
      end(AllocationState.FENCED, LEASE_LAPSED);
    } else {
      decide(tracker.onExit(status, startedAtNanos, nowNanos), "exited " + status, false);
    }
    log.info("event=allocation_exited alloc={} pgid={} status={} state={} reason=\"{}\"",
        id(), pid, status, state, reason);
  }

  /**
   * Applies the tracker's decision about a run that ended for {@code cause}; a give-up names
   * the cause too when it was a broken threshold (an exit's status is in the exit code).
   */
  private void decide(RestartDecision decision, String cause, boolean threshold) {
    options.sampler().forget(pid);
    if (decision instanceof RestartDecision.RestartAt r) {
      state = AllocationState.BACKOFF;
      restartAtNanos = r.atNanos();
      reason = cause + "; restart " + r.attempt() + " after " + RestartTracker.format(r.delay());
    } else if (decision instanceof RestartDecision.GiveUp g) {
      end(AllocationState.FAILED, threshold ? g.reason() + " (" + cause + ")" : g.reason());
    } else {
      end(AllocationState.EXITED, ((RestartDecision.Stay) decision).reason());
    }
  }

  private void toRunning(long nowNanos) {
    switch (state) {
      case ASSIGNED -> launch(nowNanos);
      case PAUSED -> {
        if (process == null) {
          state = AllocationState.BACKOFF;
          relaunchIfDue(nowNanos);
        } else if (signal(true)) {
          state = AllocationState.RUNNING;
          reason = "resumed";
        }
      }
      case BACKOFF -> relaunchIfDue(nowNanos);
      default -> { }
    }
  }

  private void toPaused() {
    if (state == AllocationState.RUNNING && signal(false)) {
      state = AllocationState.PAUSED;
      reason = "paused";
    } else if (state == AllocationState.BACKOFF) {
      state = AllocationState.PAUSED;
      reason = "paused between restarts";
    }
  }

  private void relaunchIfDue(long nowNanos) {
    if (nowNanos - restartAtNanos >= 0) {
      launch(nowNanos);
    }
  }

  private void launch(long nowNanos) {
    if (!options.lease().valid(nowNanos)) {
      reason = "waiting for a valid lease";
      return;
    }
    boolean relaunch = state != AllocationState.ASSIGNED;
    try {
      process = launcher.launch(dir);
    } catch (IOException e) {
      end(AllocationState.FAILED, "launch failed: " + e.getMessage());
      log.warn("event=allocation_launch_failed alloc={} reason=\"{}\"", id(), reason);
      return;
    }
    pid = process.pgid();
    startedAtNanos = nowNanos;
    restarts += relaunch ? 1 : 0;
    thresholds.reset();
    state = AllocationState.RUNNING;
    reason = relaunch ? "restarted after exit " + exitCode : "launched";
    guard();
    if (process != null) {
      persist();
      log.info("event=allocation_launched alloc={} pgid={} restarts={}", id(), pid, restarts);
    }
  }

  /** Hands the group to the lease's keeper; one that cannot be guarded must not run. */
  private void guard() {
    try {
      options.lease().guard(process.pgid(), process.startTicks());
    } catch (IOException e) {
      try {
        process.stop(Duration.ZERO);
      } catch (IOException stopFailed) {
        e.addSuppressed(stopFailed);
      }
      exitCode = process.exitStatus().orElse(SIGKILLED);
      process = null;
      end(AllocationState.FAILED, "lease not written: " + e.getMessage());
      log.warn("event=allocation_unguarded alloc={} pgid={} reason=\"{}\"", id(), pid, reason);
    }
  }

  /** Samples the group and, while it runs, applies the thresholds. */
  private void measure(long nowNanos) {
    if (process == null) {
      sample = null;
      return;
    }
    sample = options.sampler().sample(process.pgid()).orElse(null);
    if (state != AllocationState.RUNNING || !thresholds.limits().any()) {
      return;
    }
    Optional<String> broken = thresholds.check(sample, nowNanos - startedAtNanos, nowNanos);
    if (broken.isEmpty()) {
      return;
    }
    try {
      process.stop(THRESHOLD_GRACE);
    } catch (IOException e) {
      reason = broken.get() + "; stop failed, retrying: " + e.getMessage();
      return;
    }
    exitCode = process.exitStatus().orElse(SIGKILLED);
    process = null;
    sample = null;
    if (thresholds.limits().action() == Thresholds.Action.KILL) {
      end(AllocationState.KILLED, broken.get());
    } else {
      decide(tracker.onRestart(startedAtNanos, nowNanos), broken.get(), true);
    }
    log.info("event=allocation_threshold alloc={} pgid={} status={} state={} reason=\"{}\"",
        id(), pid, exitCode, state, reason);
  }

  /** SIGCONT ({@code resume}) or SIGSTOP the group; false (and retried next step) on failure. */
  private boolean signal(boolean resume) {
    try {
      if (resume) {
        process.resume();
      } else {
        process.pause();
      }
      return true;
    } catch (IOException e) {
      reason = (resume ? "resume" : "pause") + " failed, retrying: " + e.getMessage();
      return false;
    }
  }

  private void stopProcess(Duration grace) {
    if (process != null) {
      try {
        process.stop(grace);
      } catch (IOException e) {
        reason = "stop failed, retrying: " + e.getMessage();
        return;
      }
      exitCode = process.exitStatus().orElse(SIGKILLED);
      process = null;
    }
    end(AllocationState.KILLED, "stopped");
    log.info("event=allocation_stopped alloc={} pgid={} status={}", id(), pid, exitCode);
  }

  /** Enters a final state: the lease is released and the outcome persisted. */
  private void end(AllocationState finalState, String why) {
    state = finalState;
    reason = why;
    sample = null;
    options.sampler().forget(pid);
    try {
      options.lease().release();
    } catch (IOException e) {
      log.warn("event=allocation_lease_release_failed alloc={} error=\"{}\"", id(), e.toString());
    }
    persist();
  }

  private void persist() {
    try {
      SupervisorRecord.writeStatus(dir, status());
    } catch (IOException e) {
      log.warn("event=allocation_status_not_persisted alloc={} error=\"{}\"", id(), e.toString());
    }
  }

  private String id() {
    return dir.allocation().allocationId();
  }
}
