package org.openautoglm.oag.cli;

import java.util.concurrent.Callable;
import org.openautoglm.oag.client.CoordinatorClient;
import org.openautoglm.oag.client.EventQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code oag events}: the cluster's event log, one line (or JSON object) per event. */
@Command(name = "events",
    description = "Print the event log (task placed, started, exited, node up/down, ...): "
        + "time, index, type, task/allocation/node and message; with --follow, keep printing "
        + "new events until Ctrl-C, across leader changes.")
final class EventsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new events.")
  boolean follow;

  @Option(names = "--since", converter = Units.NonNegativeLong.class, paramLabel = "INDEX",
      description = "Only events of log entries after this index (default: 0, the oldest "
          + "retained).")
  long since;

  @Option(names = "--limit", converter = Units.NonNegativeInt.class, paramLabel = "N",
      description = "Without --follow: print at most N events (default: the server's, 1000).")
  int limit;

  @Override
  public Integer call() {
    if (follow && limit > 0) {
      throw new ParameterException(spec.commandLine(),
          "--limit is for a listing; with --follow, events keep coming until Ctrl-C");
    }
    Output out = new Output(spec.commandLine().getOut());
    EventQuery q = EventQuery.since(since).withFollow(follow).withLimit(limit);
    try (CoordinatorClient c = client.connect()) {
      Follow.await(c.events(q, e -> {
        if (output.json()) {
          out.jsonLine(FleetOutput.eventJson(e));
        } else {
          out.line(FleetOutput.eventLine(e));
        }
      }));
      return Errors.OK;
    }
  }
}
