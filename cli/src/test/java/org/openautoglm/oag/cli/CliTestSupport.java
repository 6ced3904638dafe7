package org.openautoglm.oag.cli;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import picocli.CommandLine;

/** Runs {@code oag ...} in-process against an in-process fake coordinator. */
abstract class CliTestSupport {
  static final String CLIENT_ID = "cli:tester@testhost";

  FakeCoordinator fake;
  String address;

  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
    }
  }

  @BeforeEach
  void startFake() throws Exception {
    address = "cli-fake-" + UUID.randomUUID() + ":1";
    fake = new FakeCoordinator(address);
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  Result oag(String... args) {
    return oagWithEnv(Map.of("OAG_ADDR", address), args);
  }

  Result oagWithEnv(Map<String, String> env, String... args) {
    CliContext ctx = new CliContext(env, Path.of("/nonexistent-home"), CLIENT_ID,
        a -> InProcessChannelBuilder.forName(a).directExecutor().build());
    CommandLine cl = Main.commandLine(ctx);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
