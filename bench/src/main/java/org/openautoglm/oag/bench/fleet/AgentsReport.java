package org.openautoglm.oag.bench.fleet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.openautoglm.oag.bench.Latency;

/**
 * The outcome of one {@link AgentSimulation}. Immutable; {@link #fields()} is the JSON form
 * (stable names: add, never rename).
 *
 * @param config what was asked for
 * @param intervalMs the heartbeat interval used
 * @param leaderIntervalMs the interval the leader names in its register reply
 * @param ttlMs the replicated TTL the verdicts were judged against
 * @param durationSeconds the measured phase (ramp-up included)
 * @param sessions how the agents' sessions went
 * @param heartbeats what was sent, how late, and how soon it was acked
 * @param down the leader's DOWN verdicts on this run's nodes while measuring
 * @param tasks the tasks of {@code --tasks-per-agent}
 * @param leadership leader and term at the start and at the end of the measured phase
 * @param end how the run ended: kept or retired
 */
public record AgentsReport(
    AgentsConfig config,
    long intervalMs,
    long leaderIntervalMs,
    long ttlMs,
    double durationSeconds,
    Sessions sessions,
    Heartbeats heartbeats,
    Down down,
    Tasks tasks,
    Leadership leadership,
    End end) {

  /**
   * @param rampUpSeconds from the start until every agent had had a session; null if some never had
   * @param registered agents whose register was answered at least once
   * @param established agents that had a session at least once
   * @param up agents with a session at the end of the measured phase
   * @param relayed of those, the ones whose session is with a coordinator that did not lead then
   * @param nodesUp this run's nodes the node list showed UP with a session at the end; -1 unknown
   * @param reconnects registers and sessions that failed and were retried
   * @param failures those failures by reason
   * @param staleDropped messages dropped for a term below the highest seen
   * @param channels gRPC channels opened
   */
  public record Sessions(Double rampUpSeconds, int registered, int established, int up, int relayed,
      int nodesUp, long reconnects, Map<String, Long> failures, long staleDropped, int channels) {
    public Sessions {
      failures = Map.copyOf(failures);
    }
  }

  /**
   * @param sent heartbeats sent in the measured phase
   * @param skipped heartbeats due while their agent had no session
   * @param missed heartbeats a stalled sender thread skipped (whole intervals behind)
   * @param late how late sends started against the schedule
   * @param acks acks of measured heartbeats
   * @param ack from a heartbeat's send to its ack
   * @param longestGapMs the longest gap between one agent's consecutive sends, over all agents
   * @param gapP99Ms the 99th percentile of the agents' longest gaps
   * @param gapsOverTtl agents whose longest gap reached the TTL
   */
  public record Heartbeats(long sent, long skipped, long missed, Latency late, long acks, Latency ack,
      double longestGapMs, double gapP99Ms, int gapsOverTtl) {}

  /**
   * @param submitted tasks submitted
   * @param running allocations the agents held RUNNING at the end of the measured phase
   * @param stopped tasks stopped at the end (not with --keep)
   * @param errors submits and stops that failed
   */
  public record Tasks(int submitted, int running, int stopped, long errors) {}

  /**
   * @param total DOWN verdicts on this run's nodes that arrived while measuring
   * @param falseDowns of those, on nodes whose agent's longest send gap stayed below the TTL
   * @param explained the others: the agent did go a TTL without sending
   * @param withoutSession of the explained ones, those whose agent had no session at the time
   */
  public record Down(long total, long falseDowns, long explained, long withoutSession) {}

  /** {@code leader} null when none was known; {@code term} -1 then. */
  public record Leadership(String leaderBefore, long termBefore, String leaderAfter, long termAfter,
      boolean stormGuardOn) {}

  /**
   * @param kept the nodes were left to go silent at once (--keep)
   * @param retired agents stopped in waves
   * @param retiredDown of those, the ones whose node was declared DOWN
   * @param waves how many waves
   * @param seconds how long ending took (stopping tasks, waves, closing)
   * @param incomplete why retiring stopped early; null when it did not
   */
  public record End(boolean kept, int retired, int retiredDown, int waves, double seconds, String incomplete) {}

  /** Heartbeats sent per second of the measured phase. */
  public double heartbeatsPerSecond() {
    return durationSeconds <= 0 ? 0 : Math.round(heartbeats.sent() / durationSeconds * 10.0) / 10.0;
  }

  /** Measured heartbeats never acked. */
  public long unacked() {
    return Math.max(0, heartbeats.sent() - heartbeats.acks());
  }

  /** Flat, for {@code -o json}. */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("nodePrefix", config.nodePrefix());
    f.put("agents", config.agents());
    f.put("intervalMs", intervalMs);
    f.put("leaderIntervalMs", leaderIntervalMs);
    f.put("tasksPerAgent", config.tasksPerAgent());
    f.put("connect", config.connect().name().toLowerCase(java.util.Locale.ROOT));
    f.put("channels", sessions.channels());
    f.put("durationSeconds", durationSeconds);
    f.put("rampUpSeconds", sessions.rampUpSeconds());
    f.put("registered", sessions.registered());
    f.put("sessionsEstablished", sessions.established());
    f.put("sessionsUp", sessions.up());
    f.put("sessionsRelayed", sessions.relayed());
    f.put("nodesUp", sessions.nodesUp());
    f.put("reconnects", sessions.reconnects());
    f.put("failures", new TreeMap<>(sessions.failures()));
    f.put("staleDropped", sessions.staleDropped());
    f.put("heartbeats", heartbeats.sent());
    f.put("heartbeatsPerSecond", heartbeatsPerSecond());
    f.put("heartbeatsSkipped", heartbeats.skipped());
    f.put("heartbeatsMissed", heartbeats.missed());
    f.put("lateP50Ms", heartbeats.late().p50Ms());
    f.put("lateP99Ms", heartbeats.late().p99Ms());
    f.put("lateP999Ms", heartbeats.late().p999Ms());
    f.put("lateMaxMs", heartbeats.late().maxMs());
    f.put("acks", heartbeats.acks());
    f.put("unacked", unacked());
    f.put("ackP50Ms", heartbeats.ack().p50Ms());
    f.put("ackP99Ms", heartbeats.ack().p99Ms());
    f.put("ackP999Ms", heartbeats.ack().p999Ms());
    f.put("ackMaxMs", heartbeats.ack().maxMs());
    f.put("longestGapMs", heartbeats.longestGapMs());
    f.put("gapP99Ms", heartbeats.gapP99Ms());
    f.put("gapsOverTtl", heartbeats.gapsOverTtl());
    f.put("ttlMs", ttlMs);
    f.put("downVerdicts", down.total());
    f.put("falseDowns", down.falseDowns());
    f.put("explainedDowns", down.explained());
    f.put("downsWithoutSession", down.withoutSession());
    f.put("tasksSubmitted", tasks.submitted());
    f.put("allocationsRunning", tasks.running());
    f.put("tasksStopped", tasks.stopped());
    f.put("taskErrors", tasks.errors());
    f.put("leaderBefore", leadership.leaderBefore());
    f.put("termBefore", leadership.termBefore());
    f.put("leaderAfter", leadership.leaderAfter());
    f.put("termAfter", leadership.termAfter());
    f.put("stormGuardOn", leadership.stormGuardOn());
    f.put("kept", end.kept());
    f.put("retired", end.retired());
    f.put("retiredDown", end.retiredDown());
    f.put("retireWaves", end.waves());
    f.put("endSeconds", end.seconds());
    f.put("retireIncomplete", end.incomplete());
    return f;
  }
}
