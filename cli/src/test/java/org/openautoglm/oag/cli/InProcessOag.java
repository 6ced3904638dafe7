package org.openautoglm.oag.cli;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs `oag ARGS` in this JVM against a real cluster, as a user would type it. */
final class InProcessOag {
  private InProcessOag() {}

  record Result(int exit, String out, String err) {}

  static Result run(String addresses, Path home, String clientId, String... args) {
    CliContext ctx = new CliContext(Map.of("OAG_ADDR", addresses), home, clientId,
        a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
    CommandLine cl = Main.commandLine(ctx);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }
}
