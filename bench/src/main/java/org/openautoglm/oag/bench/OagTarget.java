package org.openautoglm.oag.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openautoglm.oag.api.v1.ClusterStatus;
import org.openautoglm.oag.api.v1.Member;
import org.openautoglm.oag.client.ClientConfig;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.TaskSpec;

/**
 * The coordinator as a {@link BenchTarget}: a write is {@link CoordinatorClient#create}
 * (stored in CREATED, never scheduled) of a task named by the key, with the payload as the
 * label {@value #PAYLOAD_LABEL}; health is {@link CoordinatorClient#clusterStatus()}.
 *
 * <p>Each writer is its own {@link CoordinatorClient} (own channels, own leader discovery),
 * with the given config and the client id {@code <config client id>/<writer name>}. Health
 * uses one more client whose retry budget is at most {@link #HEALTH_BUDGET}, so a probe of a
 * cluster without a leader answers in seconds. Thread-safe.
 */
public final class OagTarget implements BenchTarget {
  /** The label that carries a write's payload. */
  public static final String PAYLOAD_LABEL = "payload";
  /** The command of every task the benchmark creates; the tasks are never started. */
  public static final String COMMAND = "true";
  static final Duration HEALTH_BUDGET = Duration.ofSeconds(5);

  private final ClientConfig config;
  private final CoordinatorClient status;

  public OagTarget(ClientConfig config) {
    this.config = config;
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
        client.create(spec);
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
