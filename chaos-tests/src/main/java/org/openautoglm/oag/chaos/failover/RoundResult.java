package org.openautoglm.oag.chaos.failover;

import java.util.List;
import java.util.OptionalLong;

/**
 * What one failover round measured: a fault on the agent {@code victim}, the recovery of each
 * task that ran there, and the clean-up once the agent was back. Every time is in
 * milliseconds after the fault was injected.
 *
 * @param fault the fault's name, e.g. {@code kill-agent}
 * @param secondFault the fault injected during the reassignment (e.g. {@code kill-leader}), or empty
 * @param secondFaultMs when it was injected; -1 when there was none
 * @param healMs when the agent's fault was healed (restarted, continued, reconnected)
 * @param staleStoppedMs when every stale instance left on the victim had been seen dead
 * @param notKilledByKeeper the victim's exclusive allocations of before the fault whose process
 *     group its keeper did not SIGKILL (its log says so for each one it did)
 * @param placedOnVictim allocations of the victim's tasks assigned to the victim again
 *     between the fault and its heal (the event log's {@code allocation.assigned}): work taken
 *     from a silent node placed straight back on it
 * @param victimDowns how often the victim was declared DOWN from the fault until the round
 *     ended steady: once for a fault held past the TTL; more is a live agent declared down
 */
public record RoundResult(String fault, String victim, String secondFault, long secondFaultMs,
    List<Recovery> recoveries, long healMs, long staleStoppedMs, List<String> notKilledByKeeper,
    List<String> placedOnVictim, int victimDowns) {

  public RoundResult {
    recoveries = List.copyOf(recoveries);
    notKilledByKeeper = List.copyOf(notKilledByKeeper);
    placedOnVictim = List.copyOf(placedOnVictim);
  }

  /**
   * One task that ran on the victim.
   *
   * @param lostMs when its old allocation ended LOST (replicated time): the failover decision
   * @param runningMs when its new allocation was first RUNNING (replicated time)
   * @param firstTickMs when the new generation's first tick reached the sink
   * @param oldLastTickMs when the old generation's last tick reached the sink
   */
  public record Recovery(String taskId, boolean exclusive, long oldGeneration, long newGeneration,
      String newNode, long lostMs, long runningMs, long firstTickMs, long oldLastTickMs) {}

  public long count(boolean exclusive) {
    return recoveries.stream().filter(r -> r.exclusive() == exclusive).count();
  }

  /** Fault to the last of the victim's tasks of that mode RUNNING elsewhere (replicated time). */
  public OptionalLong allRunningMs(boolean exclusive) {
    return recoveries.stream().filter(r -> r.exclusive() == exclusive).mapToLong(Recovery::runningMs).max();
  }

  /** Fault to the last of the victim's tasks of that mode ticking elsewhere (the sink's clock). */
  public OptionalLong allTickingMs(boolean exclusive) {
    return recoveries.stream().filter(r -> r.exclusive() == exclusive).mapToLong(Recovery::firstTickMs).max();
  }

  /** Fault to the last of that mode's old allocations declared LOST. */
  public OptionalLong allLostMs(boolean exclusive) {
    return recoveries.stream().filter(r -> r.exclusive() == exclusive).mapToLong(Recovery::lostMs).max();
  }

  /** One line for logs and reports. */
  public String summary() {
    return String.format("%s %s%s: available %d running at %s ms, exclusive %d running at %s ms;"
            + " stale stopped %d ms after heal (heal at %d ms)%s",
        fault, victim, secondFault.isEmpty() ? "" : " + " + secondFault + " at " + secondFaultMs + " ms",
        count(false), show(allRunningMs(false)), count(true), show(allRunningMs(true)),
        staleStoppedMs - healMs, healMs,
        (notKilledByKeeper.isEmpty() ? "" : "; not killed by the keeper: " + notKilledByKeeper)
            + (placedOnVictim.isEmpty() ? "" : "; placed back on " + victim + ": " + placedOnVictim.size()
                + " allocations")
            + (victimDowns == 1 ? "" : "; " + victim + " declared DOWN " + victimDowns + " times"));
  }

  private static String show(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
  }
}
