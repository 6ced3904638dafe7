package org.openautoglm.oag.client;

import java.util.stream.Stream;

/**
 * The process-manager facade of the original design, over a {@link CoordinatorClient}:
 *
 * <pre>{@code
 * try (ProcessManager pm = ProcessManager.connect("127.0.0.1:7070,127.0.0.1:7071")) {
 *   ManagedProcess p = pm.create(TaskSpec.command("python3", "serve.py").type("inference"));
 *   p.start();
 *   TaskState s = p.status();
 * }
 * }</pre>
 *
 * Every method is one client call with the client's retries, idempotency keys and
 * exceptions (see {@link CoordinatorClient}). Thread-safe.
 */
public final class ProcessManager implements AutoCloseable {
  private final CoordinatorClient client;
  private final boolean ownsClient;

  private ProcessManager(CoordinatorClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
  }

  /** Connects to a comma-separated list of coordinator API addresses (host:port). */
  public static ProcessManager connect(String addresses) {
    return new ProcessManager(CoordinatorClient.connect(addresses), true);
  }

  /** Wraps a client that the caller keeps owning; {@link #close()} leaves it open. */
  public static ProcessManager using(CoordinatorClient client) {
    return new ProcessManager(client, false);
  }

  /** Stores the task in CREATED; it runs after {@link ManagedProcess#start()}. */
  public ManagedProcess create(TaskSpec spec) {
    return new ManagedProcess(client, client.create(spec));
  }

  /** Stores and starts the task in one step. */
  public ManagedProcess submit(TaskSpec spec) {
    return new ManagedProcess(client, client.submit(spec));
  }

  /** A handle to an existing task (read once, linearizably). */
  public ManagedProcess get(String taskId) {
    return new ManagedProcess(client, client.get(taskId));
  }

  /** Every task the query matches, fetched page by page. */
  public Stream<ManagedProcess> list(TaskQuery query) {
    return client.listAll(query).map(t -> new ManagedProcess(client, t));
  }

  public CoordinatorClient client() {
    return client;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
