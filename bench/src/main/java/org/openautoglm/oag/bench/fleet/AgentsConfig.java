package org.openautoglm.oag.bench.fleet;

import java.time.Duration;
import java.util.Objects;
import org.openautoglm.oag.bench.LoadConfig;

/**
 * Settings of one {@link AgentSimulation}. Immutable, checked when built; build with {@link
 * #builder(int)}, whose defaults sit beside each field.
 *
 * @param agents how many simulated agents (nodes {@code <nodePrefix>-0 .. -<agents-1>})
 * @param interval the heartbeat interval; null: the one the leader names in its register reply
 * @param duration how long the agents heartbeat before the run ends (the measured phase,
 *     ramp-up included)
 * @param tasksPerAgent runnable tasks submitted per agent (constrained to this run's nodes, each
 *     asking for exactly 1/N of a node, so each node gets N); 0 submits none
 * @param cpuMillis, memoryMib each simulated node's capacity
 * @param nodePrefix the node ids' prefix, also the value of their {@code sim.run} label; unique
 *     per run by default, a fixed one makes a later run re-register the same nodes
 * @param channelsPerTarget gRPC channels (connections) per coordinator the agents share, round
 *     robin; 0: one per 1,000 agents (at least 1)
 * @param connect whom each agent dials: the leader, or, as the real agent does, any coordinator
 * @param keep leave the nodes to go silent all at once at the end (and the submitted tasks as
 *     they are) instead of stopping the tasks and retiring the nodes in waves until each is DOWN
 * @param senderThreads heartbeat threads ({@link HeartbeatShard}s), agents split among them
 * @param registerConcurrency registers in flight at once, at most
 * @param backoffMin, backoffMax the reconnect backoff, as the real agent's
 * @param idleTimeout a session without any message for this long is given up (as the real
 *     agent's); null: twice the interval, at least a second
 * @param retireTimeout how long retiring the nodes may take at most (without {@code keep})
 */
public record AgentsConfig(
    int agents,
    Duration interval,
    Duration duration,
    int tasksPerAgent,
    int cpuMillis,
    long memoryMib,
    String nodePrefix,
    int channelsPerTarget,
    Connect connect,
    boolean keep,
    int senderThreads,
    int registerConcurrency,
    Duration backoffMin,
    Duration backoffMax,
    Duration idleTimeout,
    Duration retireTimeout) {

  public static final int MAX_AGENTS = 100_000;
  public static final int MAX_TASKS_PER_AGENT = 1_000;
  static final Duration MAX_INTERVAL = Duration.ofHours(1);
  /** Node ids are {@code <prefix>-<k>}; the coordinator allows 64 characters. */
  private static final String PREFIX = "[A-Za-z0-9][A-Za-z0-9._-]{0,56}";

  /** Whom a simulated agent dials. */
  public enum Connect {
    /** The leader (found through cluster status); a follower, which relays, while none is known. */
    LEADER,
    /** Any coordinator, agent k starting with the k-th (mod M), as real agents end up spread. */
    ANY
  }

  public AgentsConfig {
    if (agents < 1 || agents > MAX_AGENTS) {
      throw new IllegalArgumentException("agents must be 1.." + MAX_AGENTS + ": " + agents);
    }
    if (interval != null && (interval.isNegative() || interval.toMillis() < 1
        || interval.compareTo(MAX_INTERVAL) > 0)) {
      throw new IllegalArgumentException("interval must be 1 ms .. 1 h: " + interval);
    }
    positive("duration", duration);
    if (tasksPerAgent < 0 || tasksPerAgent > MAX_TASKS_PER_AGENT) {
      throw new IllegalArgumentException("tasks per agent must be 0.." + MAX_TASKS_PER_AGENT + ": "
          + tasksPerAgent);
    }
    if (cpuMillis < 1 || memoryMib < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + cpuMillis + " millicores, "
          + memoryMib + " MiB");
    }
    if (tasksPerAgent > cpuMillis || tasksPerAgent > memoryMib) {
      throw new IllegalArgumentException(tasksPerAgent + " tasks per agent do not fit " + cpuMillis
          + " millicores and " + memoryMib + " MiB at 1 millicore and 1 MiB each at least");
    }
    Objects.requireNonNull(nodePrefix, "nodePrefix");
    if (!nodePrefix.matches(PREFIX)) {
      throw new IllegalArgumentException("node prefix must be 1-57 of A-Z a-z 0-9 . _ - : '"
          + nodePrefix + "'");
    }
    if (channelsPerTarget < 0 || channelsPerTarget > 1000) {
      throw new IllegalArgumentException("channels must be 0..1000 (0 = one per 1000 agents): "
          + channelsPerTarget);
    }
    Objects.requireNonNull(connect, "connect");
    if (senderThreads < 1 || senderThreads > 64) {
      throw new IllegalArgumentException("sender threads must be 1..64: " + senderThreads);
    }
    if (registerConcurrency < 1 || registerConcurrency > 10_000) {
      throw new IllegalArgumentException("register concurrency must be 1..10000: " + registerConcurrency);
    }
    if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException("backoff must be 0 <= min <= max: " + backoffMin + ".." + backoffMax);
    }
    if (idleTimeout != null) {
      positive("idle timeout", idleTimeout);
    }
    positive("retire timeout", retireTimeout);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The channels per coordinator actually used: {@link #channelsPerTarget} or one per 1,000 agents. */
  public int channels() {
    return channelsPerTarget > 0 ? channelsPerTarget : Math.max(1, (agents + 999) / 1000);
  }

  /** Node {@code k}'s id. */
  String nodeId(int k) {
    return nodePrefix + "-" + k;
  }

  /** The idle timeout for heartbeats every {@code interval}. */
  Duration idleTimeout(Duration interval) {
    if (idleTimeout != null) {
      return idleTimeout;
    }
    Duration twice = interval.multipliedBy(2);
    return twice.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : twice;
  }

  public static Builder builder(int agents) {
    return new Builder(agents);
  }

  /** Defaults are what {@code oag bench agents} uses. */
  public static final class Builder {
    private final int agents;
    private Duration interval;                          // the leader's
    private Duration duration = Duration.ofSeconds(60);
    private int tasksPerAgent;
    private int cpuMillis = 8_000;                      // 8 cores
    private long memoryMib = 32_768;                    // 32 GiB
    private String nodePrefix = LoadConfig.newNamePrefix("sim");
    private int channelsPerTarget;                      // one per 1,000 agents
    private Connect connect = Connect.LEADER;
    private boolean keep;
    private int senderThreads = 2;
    private int registerConcurrency = 64;
    private Duration backoffMin = Duration.ofMillis(100);   // the real agent's
    private Duration backoffMax = Duration.ofSeconds(1);
    private Duration idleTimeout;                       // twice the interval, at least 1 s
    private Duration retireTimeout = Duration.ofMinutes(3);

    private Builder(int agents) {
      this.agents = agents;
    }

    public Builder interval(Duration v) { interval = v; return this; }
    public Builder duration(Duration v) { duration = v; return this; }
    public Builder tasksPerAgent(int v) { tasksPerAgent = v; return this; }
    public Builder cpuMillis(int v) { cpuMillis = v; return this; }
    public Builder memoryMib(long v) { memoryMib = v; return this; }
    public Builder nodePrefix(String v) { nodePrefix = v; return this; }
    public Builder channelsPerTarget(int v) { channelsPerTarget = v; return this; }
    public Builder connect(Connect v) { connect = v; return this; }
    public Builder keep(boolean v) { keep = v; return this; }
    public Builder senderThreads(int v) { senderThreads = v; return this; }
    public Builder registerConcurrency(int v) { registerConcurrency = v; return this; }
    public Builder backoff(Duration min, Duration max) { backoffMin = min; backoffMax = max; return this; }
    public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
    public Builder retireTimeout(Duration v) { retireTimeout = v; return this; }

    public AgentsConfig build() {
      return new AgentsConfig(agents, interval, duration, tasksPerAgent, cpuMillis, memoryMib, nodePrefix,
          channelsPerTarget, connect, keep, senderThreads, registerConcurrency, backoffMin, backoffMax,
          idleTimeout, retireTimeout);
    }
  }
}
