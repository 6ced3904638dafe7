package org.openautoglm.oag.cli;

import java.util.concurrent.Callable;
import org.openautoglm.oag.client.CoordinatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oag cluster ...}: status, transfer-leader, settings, rebalance. */
@Command(name = "cluster", description = "Inspect the coordinator cluster.",
    subcommands = {ClusterCommand.Status.class, ClusterCommand.TransferLeader.class, SettingsCommand.class,
        RebalanceCommand.class})
final class ClusterCommand {

  @Command(name = "status",
      description = "Members, roles, leader, term, commit/applied index and digest.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        var s = c.clusterStatus();
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          out.json(Output.clusterJson(s));
        } else {
          out.clusterTable(s);
        }
        return Errors.OK;
      }
    }
  }

  @Command(name = "transfer-leader", description = "Move leadership to another member.")
  static final class TransferLeader implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Option(names = "--to", paramLabel = "ID",
        description = "Member id of the new leader (default: the leader picks).")
    String to;

    @Override
    public Integer call() {
      try (CoordinatorClient c = client.connect()) {
        String leader = c.transferLeader(to);
        Output out = new Output(spec.commandLine().getOut());
        if (output.json()) {
          var n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
          n.put("leader", leader);
          out.json(n);
        } else {
          out.line("leader: " + leader);
        }
        return Errors.OK;
      }
    }
  }
}
