package org.openautoglm.oag.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.openautoglm.oag.api.v1.Node;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code oag node ...}: list, cordon, uncordon. */
@Command(name = "node", description = "Inspect the worker nodes (agents) and take them out of scheduling.",
    subcommands = {NodeCommand.ListNodes.class, NodeCommand.Cordon.class, NodeCommand.Uncordon.class})
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
