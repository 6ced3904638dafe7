package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.api.v1.RestartPolicy;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The coordinator as a {@link BenchTarget}: a write is {@link CoordinatorClient#create}
 * (stored in CREATED, never scheduled) of a task named by the key, with the payload as the
 * label {@value #PAYLOAD_LABEL}, or with {@link Write#SUBMIT} a {@link
 * CoordinatorClient#submit} of the same task asking for {@value #SUBMIT_CPU_MILLIS}
 * millicore and {@value #SUBMIT_MEMORY_MIB} MiB, never restarted, which the scheduler places
 * and an agent runs (the command {@value #COMMAND} exits at once); health is {@link
 * CoordinatorClient#clusterStatus()}.
 *
 * <p>Each writer is its own {@link CoordinatorClient} (own channels, own leader discovery),
 * with the given config and the client id {@code <config client id>/<writer name>}. Health
 * uses one more client whose retry budget is at most {@link #HEALTH_BUDGET}, so a probe of a
 * cluster without a leader answers in seconds. Thread-safe.
 */
public final class OagTarget implements BenchTarget {
  /** The label that carries a write's payload. */
  public static final String PAYLOAD_LABEL = "payload";
  /** The command of every task the benchmark writes: created ones never run, submitted ones exit 0. */
  public static final String COMMAND = "true";
  /** What a submitted task asks for: as little as the scheduler can account. */
  public static final int SUBMIT_CPU_MILLIS = 1;
  public static final long SUBMIT_MEMORY_MIB = 1;
  static final Duration HEALTH_BUDGET = Duration.ofSeconds(5);

  /** What one write does. */
  public enum Write {
    /** Store the task in CREATED; nothing is scheduled or run. */
    CREATE,
    /** Create and start it: PENDING, then placed by the scheduler and run by an agent. */
    SUBMIT
  }

  private final ClientConfig config;
  private final Write write;
  private final CoordinatorClient status;

  /** Writes that {@link Write#CREATE}. */
  public OagTarget(ClientConfig config) {
    this(config, Write.CREATE);
  }

  public OagTarget(ClientConfig config, Write write) {
    this.config = config;
    this.write = write;
    this.status = CoordinatorClient.connect(copy(config, config.clientId() + "/health",
        min(config.deadline(), HEALTH_BUDGET), min(config.retryBudget(), HEALTH_BUDGET)));
  }

  @Override
  public Writer openWriter(String name) {
    CoordinatorClient client = CoordinatorClient.connect(
        copy(config, config.clientId() + "/" + name, config.deadline(), config.retryBudget()));
    return new Writer() {
      @Override
      public void write(String key, String payload) {
        TaskSpec spec = TaskSpec.command(COMMAND).name(key);
        if (!payload.isEmpty()) {
          spec.label(PAYLOAD_LABEL, payload);
        }
        if (write == Write.SUBMIT) {
          client.submit(spec.cpuMillis(SUBMIT_CPU_MILLIS).memoryMiB(SUBMIT_MEMORY_MIB)
              .restart(RestartPolicy.RESTART_NEVER));
        } else {
          client.create(spec);
        }
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  @Override
  public ClusterHealth health() {
    return health(status.clusterStatus());
  }

  static ClusterHealth health(ClusterStatus s) {
    List<ClusterHealth.Member> members = new ArrayList<>();
    for (Member m : s.getMembersList()) {
      members.add(new ClusterHealth.Member(m.getId(), m.getReachable(), m.getAppliedIndex()));
    }
    return new ClusterHealth(s.getLeader(), s.getTerm(), members);
  }

  @Override
  public void close() {
    status.close();
  }

  private static ClientConfig copy(ClientConfig c, String clientId, Duration deadline,
      Duration budget) {
    return new ClientConfig(c.addresses(), clientId, deadline, budget, c.initialBackoff(),
        c.maxBackoff(), c.channelFactory());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
