package org.openautoglm.oag.chaos.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.openautoglm.oag.api.v1.Task;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.FailedPreconditionException;
import org.openautoglm.oag.client.InvalidArgumentException;
import org.openautoglm.oag.client.OagException;
import org.openautoglm.oag.client.TaskSpec;

/**
 * A client that keeps creating tasks, one after another on its own thread, until closed, and
 * adds the id of every task the cluster acknowledged to a shared collection. Each task carries
 * a label of {@code payloadBytes}, so that a disk fills in a few hundred writes.
 *
 * <p>It also watches replicated time: each task's creation time is stamped by the leader that
 * proposed it and applied as {@code max(previous, stamp)}, and each write is acknowledged
 * before the next is sent, so the creation times it reads back must never decrease, whatever
 * the leaders' wall clocks do; {@link #timeWentBack()} counts the writes where one did.
 *
 * <p>A write that fails as unavailable or indeterminate (leadership moving, a node not
 * answering) is retried with the same request id until acknowledged, so it takes effect once;
 * a refusal (invalid argument, failed precondition) stops the writer, and the next {@link
 * #awaitMore} fails with it. Thread-safe.
 */
final class SteadyWriter implements AutoCloseable {
  private static final Duration JOIN = Duration.ofSeconds(45);

  private final CoordinatorClient client;
  private final Collection<String> acknowledged;
  private final String name;
  private final String payload;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong timeWentBack = new AtomicLong();
  private volatile Task last;
  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile OagException refused;

  private SteadyWriter(CoordinatorClient client, Collection<String> acknowledged, int payloadBytes,
      String name) {
    this.client = client;
    this.acknowledged = acknowledged;
    this.name = name;
    this.payload = "x".repeat(payloadBytes);
    this.thread = new Thread(this::run, "steady-writer");
    thread.setDaemon(true);
  }

  static SteadyWriter start(CoordinatorClient client, Collection<String> acknowledged, int payloadBytes) {
    return start(client, acknowledged, payloadBytes, "disk-full");
  }

  /** A writer whose tasks are named {@code name}. */
  static SteadyWriter start(CoordinatorClient client, Collection<String> acknowledged, int payloadBytes,
      String name) {
    SteadyWriter w = new SteadyWriter(client, acknowledged, payloadBytes, name);
    w.thread.start();
    return w;
  }

  private void run() {
    while (running) {
      String requestId = CoordinatorClient.newRequestId();
      TaskSpec spec = TaskSpec.command("true").name(name).label("payload", payload);
      while (running) {
        try {
          Task task = client.create(spec, requestId);
          acknowledged.add(task.getId());
          Task before = last;
          if (before != null && task.getCreatedAtMs() < before.getCreatedAtMs()) {
            timeWentBack.incrementAndGet();
          }
          last = task;
          acked.incrementAndGet();
          break;
        } catch (InvalidArgumentException | FailedPreconditionException e) {
          refused = e;
          running = false;
        } catch (OagException e) {
          errors.merge(e.getClass().getSimpleName() + "/" + e.code(), 1L, Long::sum);
        }
      }
    }
  }

  /** Writes acknowledged so far. */
  long acked() {
    return acked.get();
  }

  /** The task of the last acknowledged write; null before the first. */
  Task last() {
    return last;
  }

  /** Acknowledged writes whose task was created earlier than the one acknowledged before it. */
  long timeWentBack() {
    return timeWentBack.get();
  }

  /** Failed attempts (each retried) by exception and gRPC code. */
  Map<String, Long> errors() {
    return Map.copyOf(errors);
  }

  /** Waits until {@code n} more writes than now are acknowledged. */
  void awaitMore(int n, Duration within) {
    long target = acked.get() + n;
    await("" + n + " more acknowledged writes (now " + acked.get() + ", errors " + errors + ")")
        .atMost(within)
        .failFast("the cluster refused a write", () -> refused != null)
        .until(() -> acked.get() >= target);
  }

  /** Stops after the write in flight, which ends within the client's retry budget. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(JOIN.toMillis());
    if (thread.isAlive()) {
      throw new IllegalStateException("writer still running " + JOIN + " after close");
    }
  }
}
