package org.openautoglm.oag.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.api.v1.FailoverSettings;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oag cluster settings}: prints the replicated failover settings; with options, changes
 * the ones named (the others keep their value) and prints the result.
 */
@Command(name = "settings",
    description = "Show the failure detection and fencing settings; with options, change them. "
        + "The TTL must be at least lease * (1 + clock rate) + keeper period + 0.5s.")
final class SettingsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;

  @Option(names = "--lease", converter = Units.Span.class, paramLabel = "DURATION",
      description = "L: how long an ack keeps an agent's exclusive work alive.")
  Duration lease;

  @Option(names = "--ttl", converter = Units.Span.class, paramLabel = "DURATION",
      description = "No heartbeat for this long: the node is DOWN and its work placed elsewhere.")
  Duration ttl;

  @Option(names = "--available-ttl", converter = Units.Span.class, paramLabel = "DURATION",
      description = "No heartbeat for this long: its available tasks are placed elsewhere.")
  Duration availableTtl;

  @Option(names = "--clock-rate", converter = Units.NonNegativeInt.class, paramLabel = "PPM",
      description = "How far hosts' clock rates may differ, in millionths.")
  Integer clockRatePpm;

  @Option(names = "--keeper-period", converter = Units.Span.class, paramLabel = "DURATION",
      description = "How often an agent's lease keeper checks.")
  Duration keeperPeriod;

  @Option(names = "--storm-percent", converter = Units.NonNegativeInt.class, paramLabel = "N",
      description = "More than N% of the nodes silent at once: declare none down.")
  Integer stormPercent;

  @Option(names = "--max-reschedules", converter = Units.NonNegativeInt.class, paramLabel = "N",
      description = "Place a task whose restart budget ran out again at most N times.")
  Integer maxReschedules;

  @Override
  public Integer call() {
    try (CoordinatorClient c = client.connect()) {
      FailoverSettings now = c.failoverSettings();
      if (changes()) {
        now = c.setFailoverSettings(changed(now));
      }
      Output out = new Output(spec.commandLine().getOut());
      if (output.json()) {
        out.json(json(now));
      } else {
        out.table(null, List.of(
            new String[] {"Lease:", Output.durationName(now.getLeaseMs())},
            new String[] {"TTL:", Output.durationName(now.getTtlMs())},
            new String[] {"Available TTL:", Output.durationName(now.getAvailableTtlMs())},
            new String[] {"Clock rate:", now.getClockRatePpm() + " ppm"},
            new String[] {"Keeper period:", Output.durationName(now.getKeeperPeriodMs())},
            new String[] {"Storm guard:", "above " + now.getStormPercent() + "% silent; "
                + (now.getStormGuardOn() ? "ON: " + now.getStormGuardReason() : "off")},
            new String[] {"Reschedules:", Integer.toString(now.getMaxReschedules())}));
      }
      return Errors.OK;
    }
  }

  private boolean changes() {
    return lease != null || ttl != null || availableTtl != null || clockRatePpm != null || keeperPeriod != null
        || stormPercent != null || maxReschedules != null;
  }

  private FailoverSettings changed(FailoverSettings now) {
    FailoverSettings.Builder b = now.toBuilder().clearStormGuardOn().clearStormGuardReason();
    if (lease != null) {
      b.setLeaseMs(lease.toMillis());
    }
    if (ttl != null) {
      b.setTtlMs(ttl.toMillis());
    }
    if (availableTtl != null) {
      b.setAvailableTtlMs(availableTtl.toMillis());
    }
    if (clockRatePpm != null) {
      b.setClockRatePpm(clockRatePpm);
    }
    if (keeperPeriod != null) {
      b.setKeeperPeriodMs(keeperPeriod.toMillis());
    }
    if (stormPercent != null) {
      b.setStormPercent(stormPercent);
    }
    if (maxReschedules != null) {
      b.setMaxReschedules(maxReschedules);
    }
    return b.build();
  }

  private static ObjectNode json(FailoverSettings s) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("leaseMs", s.getLeaseMs());
    n.put("ttlMs", s.getTtlMs());
    n.put("availableTtlMs", s.getAvailableTtlMs());
    n.put("clockRatePpm", s.getClockRatePpm());
    n.put("keeperPeriodMs", s.getKeeperPeriodMs());
    n.put("stormPercent", s.getStormPercent());
    n.put("maxReschedules", s.getMaxReschedules());
    n.put("stormGuardOn", s.getStormGuardOn());
    n.put("stormGuardReason", s.getStormGuardReason().isEmpty() ? null : s.getStormGuardReason());
    return n;
  }
}
