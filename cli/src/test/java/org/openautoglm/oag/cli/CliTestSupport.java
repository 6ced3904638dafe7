package org.openautoglm.oag.cli;

import org.openautoglm.oag.client.testing.FakeCoordinator;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    Running r = new Running(env, args);
    r.run();
    return r.result();
  }

  /**
   * {@code oag ...} on a thread of its own, for commands that follow a stream: read its
   * output while it runs, then interrupt it (as Ctrl-C would end it) and join.
   */
  Running oagInBackground(String... args) {
    Running r = new Running(Map.of("OAG_ADDR", address), args);
    r.thread = new Thread(r::run, "oag-under-test");
    r.thread.start();
    return r;
  }

  /** One command line run; stdout is the CLI's byte-capable writer, as in production. */
  final class Running {
    private final CommandLine cl;
    private final String[] args;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();
    private volatile int exit = -1;
    Thread thread;

    Running(Map<String, String> env, String... args) {
      CliContext ctx = new CliContext(env, Path.of("/nonexistent-home"), CLIENT_ID,
          a -> InProcessChannelBuilder.forName(a).directExecutor().build());
      this.cl = Main.commandLine(ctx);
      this.args = args;
      cl.setOut(new RawPrintWriter(out, StandardCharsets.UTF_8));
      cl.setErr(new PrintWriter(err, true));
    }

    void run() {
      exit = cl.execute(args);
    }

    String out() {
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8);
      }
    }

    /** Interrupts the command (a clean end of a follow) and waits for it to return. */
    Result interruptAndJoin() throws InterruptedException {
      thread.interrupt();
      thread.join();
      return result();
    }

    Result join() throws InterruptedException {
      thread.join();
      return result();
    }

    Result result() {
      return new Result(exit, out(), err.toString());
    }
  }
}
