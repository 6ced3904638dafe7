package org.openautoglm.oag.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one agent needs to start. Immutable; build with {@link #builder}, whose defaults
 * sit beside each setter. Several agents may run in one JVM, each with its own node id and
 * data dir.
 *
 * @param nodeId this node's id, as the coordinators know it
 * @param dataDir where allocations are persisted ({@code DATA/allocations/ID/})
 * @param coordinators {@code host:port} of each coordinator's gRPC API, registered with all at
 *     once whenever the agent has no session, keeping the first that answers
 * @param labels free-form node labels sent with Register
 * @param address this host's name or address, informational
 * @param heartbeat the heartbeat interval, unless the leader's register reply names another
 * @param supervisionStep how often every allocation is stepped (exits noticed, restarts done)
 * @param reconnectMin the first delay before reconnecting after a failed session
 * @param reconnectMax the cap on the doubling reconnect delay
 * @param sessionIdleTimeout a session with no admitted message from the coordinator for this
 *     long is given up and the other coordinators tried
 * @param defaultStopGrace SIGTERM-to-SIGKILL time when the leader names none
 * @param logPoll how often followed output files are read for new bytes
 * @param stopTasksOnExit whether {@link Agent#close()} stops every allocation (default: they
 *     keep running in their own sessions)
 * @param cpuMillis the cpu this node offers the scheduler, in thousandths of a core; 0 offers
 *     every core the agent may run on
 * @param memoryMib the memory this node offers the scheduler; 0 offers {@code MemTotal}
 */
public record AgentConfig(String nodeId, Path dataDir, List<String> coordinators,
    Map<String, String> labels, String address, Duration heartbeat, Duration supervisionStep,
    Duration reconnectMin, Duration reconnectMax, Duration sessionIdleTimeout,
    Duration defaultStopGrace, Duration logPoll, boolean stopTasksOnExit, long cpuMillis,
    long memoryMib) {

  public AgentConfig {
    if (nodeId == null || !nodeId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException(
          "node id must be 1-128 letters, digits, '.', '_' or '-': " + nodeId);
    }
    Objects.requireNonNull(dataDir, "dataDir");
    coordinators = List.copyOf(coordinators);
    if (coordinators.isEmpty()) {
      throw new IllegalArgumentException("at least one coordinator address is needed");
    }
    labels = Map.copyOf(labels);
    Objects.requireNonNull(address, "address");
    positive("heartbeat", heartbeat);
    positive("supervisionStep", supervisionStep);
    positive("sessionIdleTimeout", sessionIdleTimeout);
    positive("logPoll", logPoll);
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    if (reconnectMin.isNegative() || reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnect backoff must be 0 <= min <= max, was "
          + reconnectMin + ".." + reconnectMax);
    }
    Objects.requireNonNull(defaultStopGrace, "defaultStopGrace");
    if (defaultStopGrace.isNegative()) {
      throw new IllegalArgumentException("defaultStopGrace must not be negative");
    }
    if (cpuMillis < 0 || cpuMillis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cpu must be 0 (detect) to " + Integer.MAX_VALUE
          + " millicores, was " + cpuMillis);
    }
    if (memoryMib < 0) {
      throw new IllegalArgumentException("memory must be 0 (detect) or more MiB, was " + memoryMib);
    }
  }

  public static Builder builder(String nodeId, List<String> coordinators, Path dataDir) {
    return new Builder(nodeId, coordinators, dataDir);
  }

  public Builder toBuilder() {
    return new Builder(nodeId, coordinators, dataDir).labels(labels).address(address)
        .heartbeat(heartbeat).supervisionStep(supervisionStep)
        .reconnect(reconnectMin, reconnectMax).sessionIdleTimeout(sessionIdleTimeout)
        .defaultStopGrace(defaultStopGrace).logPoll(logPoll).stopTasksOnExit(stopTasksOnExit)
        .offer(cpuMillis, memoryMib);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  /** Builds an {@link AgentConfig}; not thread-safe. */
  public static final class Builder {
    private final String nodeId;
    private final List<String> coordinators;
    private final Path dataDir;
    private Map<String, String> labels = Map.of();
    private String address = localHostName();
    /** Half a second: the leader's TTL is several of these, so a lost one or two is no outage. */
    private Duration heartbeat = Duration.ofMillis(500);
    /** A tenth of a second: how late an exit or a state change can be noticed. */
    private Duration supervisionStep = Duration.ofMillis(100);
    private Duration reconnectMin = Duration.ofMillis(100);
    /** One second: a failover's election is retried a few times while it happens. */
    private Duration reconnectMax = Duration.ofSeconds(1);
    /**
     * Two heartbeats: a coordinator that acks nothing for that long is gone, deposed or cut
     * off (acks wait for the leader's leadership check, a few hundred ms at most). An agent
     * cut off from the coordinator it talks to (and from one more) registers with the others
     * at once, so it is heard through a third within about 1.2 s, before the leader's available
     * TTL (2.5 s) moves its available work, and far inside the lease (5 s).
     */
    private Duration sessionIdleTimeout = Duration.ofSeconds(1);
    private Duration defaultStopGrace = Duration.ofSeconds(10);
    private Duration logPoll = Duration.ofMillis(200);
    private boolean stopTasksOnExit;
    private long cpuMillis;
    private long memoryMib;

    private Builder(String nodeId, List<String> coordinators, Path dataDir) {
      this.nodeId = nodeId;
      this.coordinators = coordinators;
      this.dataDir = dataDir;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder address(String address) {
      this.address = address;
      return this;
    }

    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    public Builder supervisionStep(Duration supervisionStep) {
      this.supervisionStep = supervisionStep;
      return this;
    }

    public Builder reconnect(Duration min, Duration max) {
      this.reconnectMin = min;
      this.reconnectMax = max;
      return this;
    }

    public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
      this.sessionIdleTimeout = sessionIdleTimeout;
      return this;
    }

    public Builder defaultStopGrace(Duration defaultStopGrace) {
      this.defaultStopGrace = defaultStopGrace;
      return this;
    }

    public Builder logPoll(Duration logPoll) {
      this.logPoll = logPoll;
      return this;
    }

    public Builder stopTasksOnExit(boolean stopTasksOnExit) {
      this.stopTasksOnExit = stopTasksOnExit;
      return this;
    }

    /** What this node offers the scheduler instead of what was detected; 0 keeps the detected. */
    public Builder offer(long cpuMillis, long memoryMib) {
      this.cpuMillis = cpuMillis;
      this.memoryMib = memoryMib;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(nodeId, dataDir, coordinators, labels, address, heartbeat,
          supervisionStep, reconnectMin, reconnectMax, sessionIdleTimeout, defaultStopGrace,
          logPoll, stopTasksOnExit, cpuMillis, memoryMib);
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
