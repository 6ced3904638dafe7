package org.openautoglm.oag.bench.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of {@code --tasks-per-agent N}: {@code agents * N} of them, named {@code
 * <prefix>-t<i>}, constrained to this run's nodes ({@code sim.run=<prefix>}) and each asking for
 * exactly 1/N of a simulated node's CPU and memory, so that every node gets N of them whichever
 * way the scheduler packs. Their command ({@code true}) is never run: the simulated agents only
 * report them RUNNING. Submitted (and stopped, at the end) by {@link #THREADS} threads sharing
 * one client; bounded by a deadline each. Not thread-safe: one caller.
 */
final class SimTasks {
  private static final Logger LOG = LoggerFactory.getLogger(SimTasks.class);
  static final int THREADS = 8;
  static final String COMMAND = "true";

  private final CoordinatorClient client;
  private final AgentsConfig config;
  private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong errors = new AtomicLong();

  SimTasks(CoordinatorClient client, AgentsConfig config) {
    this.client = client;
    this.config = config;
  }

  /** The spec of task {@code i}. */
  TaskSpec spec(int i) {
    int n = config.tasksPerAgent();
    return TaskSpec.command(COMMAND)
        .name(config.nodePrefix() + "-t" + i)
        .cpuMillis(config.cpuMillis() / n)
        .memoryMiB(config.memoryMib() / n)
        .restart(RestartPolicy.RESTART_NEVER)
        .label("sim", "true")
        .constraint(AgentSimulation.RUN_LABEL + "=" + config.nodePrefix());
  }

  /** Submits every task, or as many as fit before {@code deadlineNanos}; returns how many. */
  int submit(long deadlineNanos) throws InterruptedException {
    int total = config.agents() * config.tasksPerAgent();
    run(total, deadlineNanos, i -> {
      Task t = client.submit(spec(i));
      ids.add(t.getId());
    });
    return ids.size();
  }

  /** Stops every task submitted, or as many as it can before {@code deadlineNanos}; returns how many. */
  int stopAll(long deadlineNanos) throws InterruptedException {
    List<String> all;
    synchronized (ids) {
      all = List.copyOf(ids);
    }
    AtomicInteger stopped = new AtomicInteger();
    run(all.size(), deadlineNanos, i -> {
      client.stop(all.get(i));
      stopped.incrementAndGet();
    });
    return stopped.get();
  }

  /** Tasks submitted so far. */
  int submittedCount() {
    return ids.size();
  }

  /** Calls that failed (after the client's own retries). */
  long errors() {
    return errors.get();
  }

  private void run(int count, long deadlineNanos, IntConsumer call) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "oag-sim-tasks");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int w = 0; w < THREADS; w++) {
        pool.execute(() -> {
          int i;
          while ((i = next.getAndIncrement()) < count && System.nanoTime() - deadlineNanos < 0
              && !Thread.currentThread().isInterrupted()) {
            try {
              call.accept(i);
            } catch (RuntimeException e) {
              if (errors.incrementAndGet() <= 5) {
                LOG.warn("event=sim_task_call_failed index={} error=\"{}\"", i, e.toString());
              }
            }
          }
        });
      }
      pool.shutdown();
      if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        pool.shutdownNow();   // calls still waiting on the cluster: given up
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
