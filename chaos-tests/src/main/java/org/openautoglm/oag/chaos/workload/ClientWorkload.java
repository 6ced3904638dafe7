package org.openautoglm.oag.chaos.workload;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.openautoglm.oag.api.v1.ReadConsistency;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.chaos.check.DesiredOps;
import org.openautoglm.oag.chaos.check.StoredTask;
import org.openautoglm.oag.chaos.check.SubmitChecker;
import org.openautoglm.oag.chaos.history.History;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.FailedPreconditionException;
import org.openautoglm.oag.client.InvalidArgumentException;
import org.openautoglm.oag.client.NotFoundException;
import org.openautoglm.oag.client.TaskSpec;
import org.openautoglm.oag.client.UnavailableException;

/**
 * Concurrent clients submitting tasks and pausing, resuming, stopping and reading them, each
 * operation recorded in a {@link History}: invoke, then ok, fail (definitely not applied) or
 * info (may have been applied). Submits are recorded as {@link SubmitChecker} reads them, the
 * rest as {@link DesiredOps} says. An indeterminate write is retried with the same request id,
 * as a careful user would, until it is acknowledged, fails or the workload stops. Only an
 * answer that says the write did not happen (unavailable: no node took it; or the server's
 * verdict on the request) is a fail; every other error is info. Every task carries its request
 * id in the {@value StoredTask#REQUEST_LABEL} label, so the final state can be mapped back to
 * requests.
 *
 * <p>The operations on desired state go to tasks any client submitted (the most recent few),
 * so that several clients work on one task at once: that concurrency is what makes a
 * linearizability check worth running. A client stops its own oldest task once it has {@link
 * Mix#liveTasks()} running, which bounds the processes a run leaves on its agents.
 *
 * <p>Each client is its own thread with its own {@link CoordinatorClient} and paces itself to
 * {@code opsPerSecond} (a load generator, not a stress test: the point is the record, and a
 * bounded number of tasks to read back). Request ids and the choice of operations come from
 * the seed. {@link #stop} ends every thread within a bound.
 */
public final class ClientWorkload implements AutoCloseable {
  /** Between retries of an unknown outcome: the client has just spent its budget; let the cluster settle. */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
  /** How many recently submitted tasks the clients share as targets. */
  private static final int SHARED_TASKS = 16;

  private final String addresses;
  private final History history;
  private final int clients;
  private final double opsPerSecond;
  private final long seed;
  private final Supplier<TaskSpec> specs;
  private final Mix mix;
  /** Guarded by itself, not by this object, whose lock {@link #stop} holds while it joins the clients. */
  private final Deque<String> shared = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * How a client picks its operations.
   *
   * @param liveTasks per client, the tasks it keeps before it stops its oldest
   * @param submitPercent the share of its other operations that are submits (the rest pause,
   *     resume, stop or read a shared task); the lower, the longer a task lives
   */
  public record Mix(int liveTasks, int submitPercent) {
    public Mix {
      if (liveTasks < 1 || submitPercent < 1 || submitPercent > 100) {
        throw new IllegalArgumentException("liveTasks >= 1 and submitPercent 1 to 100");
      }
    }
  }

  /**
   * @param opsPerSecond per client
   * @param specs a fresh spec per submit; its command should run until stopped, so that only a
   *     client's stop ends a task (the desired-state model assumes so)
   */
  public ClientWorkload(String addresses, History history, int clients, double opsPerSecond,
      long seed, Supplier<TaskSpec> specs, Mix mix) {
    if (clients < 1 || opsPerSecond <= 0) {
      throw new IllegalArgumentException("clients >= 1 and opsPerSecond > 0");
    }
    this.addresses = addresses;
    this.history = history;
    this.clients = clients;
    this.opsPerSecond = opsPerSecond;
    this.seed = seed;
    this.specs = specs;
    this.mix = mix;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (int p = 0; p < clients; p++) {
      int process = p;
      Thread t = new Thread(() -> run(process), "chaos-client-" + p);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Stops every client. An operation in flight finishes first (within the client's retry
   * budget): interrupting it would turn a write that may have been applied into a failure.
   */
  public synchronized void stop(Duration within) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + within.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop within " + within);
      }
    }
    threads.clear();
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(30));
  }

  private void run(int process) {
    Random random = new Random(seed * 31 + process);
    long interval = (long) (1e9 / opsPerSecond);
    ClientConfig config = ClientConfig.builder(addresses)
        .clientId("chaos-" + seed + "-" + process)
        // Shorter than most faults, so that outcomes are often unknown and the retry with the
        // same request id (the dedupe path) is exercised, not just the client's own retries.
        .deadline(Duration.ofSeconds(1)).retryBudget(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(250)).build();
    Deque<String> own = new ArrayDeque<>();
    try (CoordinatorClient client = CoordinatorClient.connect(config)) {
      long next = System.nanoTime();
      while (running) {
        step(client, process, random, own);
        next = Math.max(next + interval, System.nanoTime() - interval);
        while (running && System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
      }
    }
  }

  /**
   * One operation: a stop of this client's oldest task when it has its fill, a submit while it
   * has less than half of it (and by chance after), or else an op on a shared task.
   */
  private void step(CoordinatorClient client, int process, Random random, Deque<String> own) {
    String target = pickShared(random);
    if (own.size() >= mix.liveTasks()) {
      write(client, process, DesiredOps.STOP, own.removeFirst(), requestId(random));
    } else if (target == null || own.size() < mix.liveTasks() / 2
        || random.nextInt(100) < mix.submitPercent()) {
      String taskId = submit(client, process, requestId(random));
      if (taskId != null) {
        own.addLast(taskId);
        share(taskId);
      }
    } else {
      int dice = random.nextInt(100);
      if (dice < 40) {
        read(client, process, target);
      } else {
        String f = dice < 65 ? DesiredOps.PAUSE : dice < 90 ? DesiredOps.RESUME : DesiredOps.STOP;
        write(client, process, f, target, requestId(random));
      }
    }
  }

  /** Submits one request id until it is acknowledged or definitely failed; the task id or null. */
  private String submit(CoordinatorClient client, int process, String requestId) {
    TaskSpec spec = specs.get().label(StoredTask.REQUEST_LABEL, requestId);
    while (true) {
      history.invoke(process, SubmitChecker.SUBMIT, requestId);
      try {
        Task t = client.submit(spec, requestId);
        history.ok(process, SubmitChecker.SUBMIT, requestId, t.getId());
        return t.getId();
      } catch (UnavailableException | InvalidArgumentException | FailedPreconditionException
          | NotFoundException e) {
        // No node took it, or the server refused it: not applied.
        history.fail(process, SubmitChecker.SUBMIT, requestId, brief(e));
        return null;
      } catch (RuntimeException e) {
        // Indeterminate, or an error that does not say whether it landed.
        history.info(process, SubmitChecker.SUBMIT, requestId, brief(e));
        if (!retryAfterPause()) {
          return null;
        }
      }
    }
  }

  /** Pause, resume or stop one task under one request id, retried while its outcome is unknown. */
  private void write(CoordinatorClient client, int process, String f, String taskId, String requestId) {
    while (true) {
      history.invoke(process, f, taskId, requestId);
      try {
        switch (f) {
          case DesiredOps.PAUSE -> client.pause(taskId, requestId);
          case DesiredOps.RESUME -> client.resume(taskId, requestId);
          case DesiredOps.STOP -> client.stop(taskId, requestId);
          default -> throw new IllegalArgumentException("not a write: " + f);
        }
        history.ok(process, f, taskId, DesiredOps.APPLIED);
        return;
      } catch (FailedPreconditionException e) {
        if (refusedForAStop(e)) {
          history.ok(process, f, taskId, DesiredOps.REFUSED);
        } else {
          // Finished by itself (the model assumes it does not): nothing changed, nothing learnt.
          history.fail(process, f, taskId, brief(e));
        }
        return;
      } catch (UnavailableException | InvalidArgumentException | NotFoundException e) {
        history.fail(process, f, taskId, brief(e));
        return;
      } catch (RuntimeException e) {
        history.info(process, f, taskId, brief(e));
        if (!retryAfterPause()) {
          return;
        }
      }
    }
  }

  /** One linearizable read; an unanswered read is recorded and not retried (it changed nothing). */
  private void read(CoordinatorClient client, int process, String taskId) {
    history.invoke(process, DesiredOps.READ, taskId);
    try {
      Task t = client.get(taskId, ReadConsistency.LINEARIZABLE);
      history.ok(process, DesiredOps.READ, taskId,
          DesiredOps.readValue(desired(t), t.hasAllocation() ? t.getAllocation().getGeneration() : 0));
    } catch (UnavailableException | InvalidArgumentException | NotFoundException e) {
      history.fail(process, DesiredOps.READ, taskId, brief(e));
    } catch (RuntimeException e) {
      history.info(process, DesiredOps.READ, taskId, brief(e));
    }
  }

  private static DesiredOps.Desired desired(Task t) {
    return switch (t.getDesired()) {
      case DESIRED_PAUSED -> DesiredOps.Desired.PAUSED;
      case DESIRED_STOPPED -> DesiredOps.Desired.STOPPED;
      // A task is created wanting to run; unspecified is how an older record says so.
      case DESIRED_RUNNING, DESIRED_STATE_UNSPECIFIED -> DesiredOps.Desired.RUNNING;
      case UNRECOGNIZED -> throw new IllegalStateException("unknown desired state in " + t.getId());
    };
  }

  /** Whether the server refused because the task is being stopped or was (its words for it). */
  private static boolean refusedForAStop(FailedPreconditionException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("is being stopped") || m.contains("is already STOPPED");
  }

  private boolean retryAfterPause() {
    if (!running) {
      return false;
    }
    LockSupport.parkNanos(RETRY_PAUSE.toNanos());
    return true;
  }

  private void share(String taskId) {
    synchronized (shared) {
      shared.addLast(taskId);
      if (shared.size() > SHARED_TASKS) {
        shared.removeFirst();
      }
    }
  }

  private String pickShared(Random random) {
    synchronized (shared) {
      if (shared.isEmpty()) {
        return null;
      }
      int skip = random.nextInt(shared.size());
      return shared.stream().skip(skip).findFirst().orElseThrow();
    }
  }

  private static String requestId(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static String brief(Exception e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }
}
