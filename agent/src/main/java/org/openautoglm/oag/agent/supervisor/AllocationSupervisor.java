package org.openautoglm.oag.agent.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one allocation on this host: launches it, watches its process group, restarts it
 * as its {@link RestartPolicy} allows, and pauses, resumes or stops it on request.
 *
 * <p>Contract: driven from outside. {@link #run()}, {@link #pause()} and {@link #stop} only
 * record the desired state (thread-safe, any thread, idempotent); {@link #step(long)} does
 * whatever is due and returns the {@link Status}. It must be called from one thread (the
 * agent's supervision loop), often enough to notice exits. It starts no threads and never
 * sleeps, except that a stop blocks for up to its grace period. Restart timing uses only the
 * {@code nowNanos} passed in (a monotonic clock; compared by difference), so it can be tested
 * with a fake clock; process state is read from {@code /proc} and the wrapper's exit file.
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
 * {@code FAILED}. Re-adopting a process after an agent restart is not handled here.
 */
public final class AllocationSupervisor {
  private static final Logger log = LoggerFactory.getLogger(AllocationSupervisor.class);
  /** The status of a command whose wrapper recorded none: the whole group was SIGKILLed. */
  static final int SIGKILLED = 128 + 9;

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

  private enum Goal { RUN, PAUSE, STOP }

  private record Desired(Goal goal, Duration grace) {}

  private final AllocationDir dir;
  private final ProcessLauncher launcher;
  private final RestartTracker tracker;
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

  /** Supervises the allocation already persisted in {@code dir}; wants it running. */
  public AllocationSupervisor(AllocationDir dir, RestartPolicy policy, ProcessLauncher launcher) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.tracker = new RestartTracker(policy);
  }

  /**
   * Persists {@code allocation} under {@code data} and returns its supervisor, which launches
   * it on its first step; so the record is durable before anything runs.
   */
  public static AllocationSupervisor start(Path data, Allocation allocation, RestartPolicy policy,
      ProcessLauncher launcher) throws IOException {
    return new AllocationSupervisor(AllocationDir.create(data, allocation), policy, launcher);
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
      }
    }
    return status();
  }

  /** The status as of the last step. */
  public Status status() {
    return new Status(state, pid, exitCode, restarts, reason);
  }

  private void observeExit(long nowNanos) {
    if (process == null || process.alive()) {
      return;
    }
    int status = process.exitStatus().orElse(SIGKILLED);
    exitCode = status;
    process = null;
    RestartDecision decision = tracker.onExit(status, startedAtNanos, nowNanos);
    if (decision instanceof RestartDecision.RestartAt r) {
      state = AllocationState.BACKOFF;
      restartAtNanos = r.atNanos();
      reason = "exited " + status + "; restart " + r.attempt() + " after "
          + RestartTracker.format(r.delay());
    } else if (decision instanceof RestartDecision.GiveUp g) {
      state = AllocationState.FAILED;
      reason = g.reason();
    } else {
      state = AllocationState.EXITED;
      reason = ((RestartDecision.Stay) decision).reason();
    }
    log.info("event=allocation_exited alloc={} pgid={} status={} state={} reason=\"{}\"",
        id(), pid, status, state, reason);
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
      restarts++;
      launch(nowNanos);
    }
  }

  private void launch(long nowNanos) {
    try {
      process = launcher.launch(dir);
    } catch (IOException e) {
      state = AllocationState.FAILED;
      reason = "launch failed: " + e.getMessage();
      log.warn("event=allocation_launch_failed alloc={} reason=\"{}\"", id(), reason);
      return;
    }
    pid = process.pgid();
    startedAtNanos = nowNanos;
    state = AllocationState.RUNNING;
    reason = restarts == 0 ? "launched" : "restarted after exit " + exitCode;
    log.info("event=allocation_launched alloc={} pgid={} restarts={}", id(), pid, restarts);
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
    state = AllocationState.KILLED;
    reason = "stopped";
    log.info("event=allocation_stopped alloc={} pgid={} status={}", id(), pid, exitCode);
  }

  private String id() {
    return dir.allocation().allocationId();
  }
}
