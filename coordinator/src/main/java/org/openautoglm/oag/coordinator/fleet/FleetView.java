package org.openautoglm.oag.coordinator.fleet;

import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.agent.v1.HostMetrics;
import org.openautoglm.oag.agent.v1.ProcessMetrics;

/**
 * What the leader knows about its agents from memory only: heartbeat ages and the latest
 * metrics. Never replicated, so a follower (or a leader just elected) knows nothing and says
 * so. Thread-safe; every method is cheap.
 */
public interface FleetView {

  /** A view that has heard from no agent: what a follower answers. */
  FleetView NONE = new FleetView() {
    @Override
    public long heartbeatAgeMs(String node) {
      return -1;
    }

    @Override
    public boolean connected(String node) {
      return false;
    }

    @Override
    public Optional<HostMetrics> host(String node) {
      return Optional.empty();
    }

    @Override
    public Optional<ProcessMetrics> process(String allocationId) {
      return Optional.empty();
    }

    @Override
    public List<String> silentFor(long minMs) {
      return List.of();
    }
  };

  /** Milliseconds since this leader last heard from {@code node}; -1 when it has not. */
  long heartbeatAgeMs(String node);

  /** Whether {@code node}'s agent has a session with this leader now. */
  boolean connected(String node);

  /** The host metrics of {@code node}'s latest heartbeat. */
  Optional<HostMetrics> host(String node);

  /** The latest metrics of a running allocation. */
  Optional<ProcessMetrics> process(String allocationId);

  /**
   * The nodes this leader has heard from but not for {@code minMs} or more, the longest
   * silent first: the head of a deadline queue, so the cost is the silent nodes, not the fleet.
   */
  List<String> silentFor(long minMs);
}
