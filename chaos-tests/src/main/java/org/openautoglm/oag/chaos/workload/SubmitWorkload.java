package org.openautoglm.oag.chaos.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openautoglm.oag.api.v1.Task;
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
 * Concurrent clients submitting tasks with request ids, each operation recorded in a {@link
 * History}: invoke, then ok (with the task id), fail (definitely not applied) or info (may
 * have been applied). An indeterminate submit is retried with the same request id, as a
 * careful user would, until it is acknowledged, fails or the workload stops. Only an
 * answer that says the write did not happen (unavailable: no node took it; or the server's
 * verdict on the request) is a fail; every other error is info. Every task
 * carries its request id in the {@value StoredTask#REQUEST_LABEL} label, so the final state
 * can be mapped back to requests.
 *
 * <p>Each client is its own thread with its own {@link CoordinatorClient} and paces itself to
 * {@code opsPerSecond} (a load generator, not a stress test: the point is the record, and a
 * bounded number of tasks to read back). Request ids come from the seed, so a rerun with the
 * same seed submits the same ids. {@link #stop} ends every thread within a bound.
 */
public final class SubmitWorkload implements AutoCloseable {
  /** Between retries of an unknown outcome: the client has just spent its budget; let the cluster settle. */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private final String addresses;
  private final History history;
  private final int clients;
  private final double opsPerSecond;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param opsPerSecond per client
   */
  public SubmitWorkload(String addresses, History history, int clients, double opsPerSecond, long seed) {
    if (clients < 1 || opsPerSecond <= 0) {
      throw new IllegalArgumentException("clients >= 1 and opsPerSecond > 0");
    }
    this.addresses = addresses;
    this.history = history;
    this.clients = clients;
    this.opsPerSecond = opsPerSecond;
    this.seed = seed;
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
    try (CoordinatorClient client = CoordinatorClient.connect(config)) {
      long next = System.nanoTime();
      while (running) {
        submitUntilSettled(client, process, new UUID(random.nextLong(), random.nextLong()).toString());
        next = Math.max(next + interval, System.nanoTime() - interval);
        while (running && System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
      }
    }
  }

  /** Submits one request id until it is acknowledged or definitely failed, or the workload stops. */
  private void submitUntilSettled(CoordinatorClient client, int process, String requestId) {
    TaskSpec spec = TaskSpec.command("true").name("chaos").label(StoredTask.REQUEST_LABEL, requestId);
    while (true) {
      history.invoke(process, SubmitChecker.SUBMIT, requestId);
      Task t;
      try {
        t = client.submit(spec, requestId);
      } catch (UnavailableException | InvalidArgumentException | FailedPreconditionException
          | NotFoundException e) {
        // No node took it, or the server refused it: not applied.
        history.fail(process, SubmitChecker.SUBMIT, requestId, brief(e));
        return;
      } catch (RuntimeException e) {
        // Indeterminate, or an error that does not say whether it landed.
        history.info(process, SubmitChecker.SUBMIT, requestId, brief(e));
        if (!running) {
          return;
        }
        LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        continue;
      }
      history.ok(process, SubmitChecker.SUBMIT, requestId, t.getId());
      return;
    }
  }

  private static String brief(Exception e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }
}
