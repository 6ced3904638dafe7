package org.openautoglm.oag.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code oag node ...}: list, cordon, uncordon, drain, drain-status. */
@Command(name = "node", description = "Inspect the worker nodes (agents) and take them out of scheduling.",
    subcommands = {NodeCommand.ListNodes.class, NodeCommand.Cordon.class, NodeCommand.Uncordon.class,
        NodeCommand.Drain.class, NodeCommand.DrainStatus.class})
final class NodeCommand {

  @Command(name = "list",
      description = "Registered nodes: state, CPU cores, memory and GPUs used/capacity, tasks "
          + "placed, and the age of the last heartbeat the leader heard (- when none since "
          + "its election).")
  static final class ListNodes implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        var nodes = c.listNodes();
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(FleetOutput.nodesJson(nodes));
        } else {
          FleetOutput.nodeTable(out, nodes);
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "cordon",
      description = "Place no new work on a node; what runs there stays. Undo with uncordon.")
  static final class Cordon implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      return setEligibility(spec, client, output, id, true);
    }
  }

  @Command(name = "uncordon", description = "Let the scheduler place new work on a node again.")
  static final class Uncordon implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      return setEligibility(spec, client, output, id, false);
    }
  }

  @Command(name = "drain",
      description = "Cordon a node and migrate its work off; what has not moved by the deadline is "
          + "stopped there. With --cancel, stop draining (the node stays cordoned; migrations "
          + "already begun go on).")
  static final class Drain implements Callable<Integer> {
    /** As the coordinator allows. */
    static final Duration MAX_DEADLINE = Duration.ofDays(7);

    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--deadline", converter = Units.Span.class, paramLabel = "DURATION",
        description = "Stop what still runs there this long from now: 90s, 10m, 1h, at most 7d "
            + "(default: none, wait as long as migrating takes).")
    Duration deadline;

    @Option(names = "--cancel", description = "Stop draining the node.")
    boolean cancel;

    @Override
    public Integer call() {
      if (cancel && deadline != null) {
        throw new ParameterException(spec.commandLine(), "--cancel takes no --deadline: give one or the other");
      }
      if (deadline != null && deadline.compareTo(MAX_DEADLINE) > 0) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--deadline': '"
            + Output.durationName(deadline.toMillis()) + "' is longer than 7d");
      }
      try (CoordinatorClient c = client.connect()) {
        Node node = cancel ? c.cancelDrain(id) : c.drain(id, deadline);
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(FleetOutput.nodesJson(List.of(node)).get(0));
        } else {
          String until = node.getDrainDeadlineMs() == 0 ? " (no deadline)"
              : " until " + Output.time(node.getDrainDeadlineMs());
          out.line("node " + node.getId() + " " + FleetOutput.scheduling(node) + (node.getDraining() ? until : ""));
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "drain-status",
      description = "What a node's drain still waits for: each task there and what moving it waits "
          + "for; and how the node's last drain ended.")
  static final class DrainStatus implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        var status = c.drainStatus(id);
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(FleetOutput.drainJson(status));
        } else {
          FleetOutput.drainDetail(out, status);
        }
        return Errors.OK;
      }
    }
  }

  private static int setEligibility(CommandSpec spec, ClientOptions client, OutputOptions output,
      String id, boolean cordon) {
    try (CoordinatorClient c = client.connect()) {
      Node node = cordon ? c.cordon(id) : c.uncordon(id);
      Output out = new Output(spec.commandLine().getOut());
      if (output.json()) {
        out.json(FleetOutput.nodesJson(List.of(node)).get(0));
      } else {
        out.line("node " + node.getId() + " " + FleetOutput.scheduling(node));
      }
      return Errors.OK;
    }
  }
}
