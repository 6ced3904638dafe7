package org.openautoglm.oag.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.api.v1.RebalanceSettings;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oag cluster rebalance}: prints the rebalancer's replicated settings; with options,
 * reads them, changes the ones named (the others keep their value), sets them and prints the
 * result. Out-of-range values are the cluster's to refuse (exit 2 naming the field).
 */
@Command(name = "rebalance",
    description = "Show the rebalancer's settings; with options, change them. When the busiest eligible "
        + "node's share of its capacity in use exceeds the least busy one's by more than the threshold, "
        + "movable tasks migrate from the one to the other.")
final class RebalanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;

  @Option(names = "--threshold", converter = Units.PositiveInt.class, paramLabel = "PCT",
      description = "Rebalance when the spread between nodes' shares in use is above PCT percentage points (1-100).")
  Integer thresholdPercent;

  @Option(names = "--moves", converter = Units.PositiveInt.class, paramLabel = "N",
      description = "Begin at most N migrations per interval (1-100).")
  Integer maxMoves;

  @Option(names = "--interval", converter = Units.Span.class, paramLabel = "DURATION",
      description = "How often the rebalancer looks (1s to 1h).")
  Duration interval;

  @Option(names = "--cooldown", converter = Units.Span.class, paramLabel = "DURATION",
      description = "A task that began a migration this recently is not moved again (at most a day).")
  Duration cooldown;

  @ArgGroup(exclusive = true)
  OnOff onOff;

  /** At most one of the two. */
  static final class OnOff {
    @Option(names = "--on", required = true, description = "Let the rebalancer move work.")
    boolean on;

    @Option(names = "--off", required = true, description = "Stop the rebalancer; nothing is moved.")
    boolean off;
  }

  @Override
  public Integer call() {
    try (CoordinatorClient c = client.connect()) {
      RebalanceSettings now = c.rebalanceSettings();
      if (changes()) {
        now = c.setRebalanceSettings(changed(now));
      }
      Output out = new Output(spec.commandLine().getOut());
      if (output.json()) {
        out.json(json(now));
      } else {
        out.table(null, List.of(
            new String[] {"Rebalancer:", now.getDisabled() ? "off" : "on"},
            new String[] {"Threshold:", "above a " + now.getThresholdPercent() + "% spread"},
            new String[] {"Moves:", "at most " + now.getMaxMoves() + " per interval"},
            new String[] {"Interval:", Output.durationName(now.getIntervalMs())},
            new String[] {"Cooldown:", Output.durationName(now.getCooldownMs())}));
      }
      return Errors.OK;
    }
  }

  private boolean changes() {
    return thresholdPercent != null || maxMoves != null || interval != null || cooldown != null || onOff != null;
  }

  private RebalanceSettings changed(RebalanceSettings now) {
    RebalanceSettings.Builder b = now.toBuilder();
    if (thresholdPercent != null) {
      b.setThresholdPercent(thresholdPercent);
    }
    if (maxMoves != null) {
      b.setMaxMoves(maxMoves);
    }
    if (interval != null) {
      b.setIntervalMs(interval.toMillis());
    }
    if (cooldown != null) {
      b.setCooldownMs(cooldown.toMillis());
    }
    if (onOff != null) {
      b.setDisabled(onOff.off);
    }
    return b.build();
  }

  private static ObjectNode json(RebalanceSettings s) {
    ObjectNode n = Output.JSON.createObjectNode();
    n.put("thresholdPercent", s.getThresholdPercent());
    n.put("maxMoves", s.getMaxMoves());
    n.put("intervalMs", s.getIntervalMs());
    n.put("cooldownMs", s.getCooldownMs());
    n.put("disabled", s.getDisabled());
    return n;
  }
}
