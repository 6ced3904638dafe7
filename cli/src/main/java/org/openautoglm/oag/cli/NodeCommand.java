package org.openautoglm.oag.cli;

import java.util.concurrent.Callable;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code oag node ...}: list. */
@Command(name = "node", description = "Inspect the worker nodes (agents).",
    subcommands = {NodeCommand.ListNodes.class})
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
}
