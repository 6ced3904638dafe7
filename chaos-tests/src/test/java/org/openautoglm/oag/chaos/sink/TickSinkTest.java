package org.openautoglm.oag.chaos.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against real bash reporters and raw sockets on 127.0.0.1. */
class TickSinkTest {

  private static final InetSocketAddress LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final LongSupplier CLOCK = System::nanoTime;
  private static final Duration START = Duration.ofSeconds(20);
  private static final long MS = 1_000_000;

  private final List<Process> processes = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private TickSink sink;

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (Socket s : sockets) {
      s.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void aKilledReporterStopsTickingAtItsLastMomentOfLife() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Process reporter = launch(sink.reporterCommand("t1", 3), Map.of());
    await().atMost(START).until(() -> sink.ticks() >= 5);
    Life running = sink.life("t1", 3).orElseThrow();
    assertThat(running.ticks()).isGreaterThanOrEqualTo(5);
    assertThat(running.firstTick()).isLessThanOrEqualTo(running.lastTick());

    long killedAt = CLOCK.getAsLong();
    reporter.destroyForcibly();
    await().until(() -> !reporter.isAlive());
    AtomicLong seen = new AtomicLong(-1);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> seen.getAndSet(sink.ticks()) == sink.ticks());
    await().until(() -> sink.openConnections() == 0);

    Life dead = sink.life("t1", 3).orElseThrow();
    assertThat(dead.lastTick())
        .isLessThan(killedAt + 1000 * MS)
        .isGreaterThan(killedAt - 500 * MS);
    assertThat(dead.ticks()).isEqualTo(sink.ticks());
  }

  @Test
  void theReporterReadsItsRunFromTheEnvironment() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    launch(sink.reporterCommand(),
        Map.of("OAG_TASK_ID", "job-7/task-2", "OAG_ALLOC_GENERATION", "11"));
    await().atMost(START).until(() -> sink.life("job-7/task-2", 11)
        .map(l -> l.ticks() >= 3).orElse(false));
    assertThat(sink.lives()).extracting(Life::taskId, Life::generation)
        .containsExactly(tuple("job-7/task-2", 11L));
    assertThat(sink.malformed()).isZero();
  }

  @Test
  void aReporterWithoutItsVariablesExitsInsteadOfTicking() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Process reporter = launch(sink.reporterCommand(), Map.of());
    await().atMost(START).until(() -> !reporter.isAlive());
    assertThat(reporter.exitValue()).isNotZero();
    assertThat(sink.ticks()).isZero();
  }

  @Test
  void aFixedTaskIdIsQuotedForBash() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    launch(sink.reporterCommand("it's-$HOME-`x`", 0), Map.of());
    await().atMost(START).until(() -> sink.life("it's-$HOME-`x`", 0).isPresent());
    assertThatThrownBy(() -> sink.reporterCommand("two words", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.reporterCommand("t1", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoGenerationsOfOneTaskAreTwoLivesInOrder() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Process first = launch(sink.reporterCommand("t1", 1), Map.of());
    await().atMost(START).until(() -> sink.life("t1", 1).map(Life::ticks).orElse(0L) >= 3);
    first.destroyForcibly();
    await().until(() -> !first.isAlive());
    launch(sink.reporterCommand("t1", 2), Map.of());
    await().atMost(START).until(() -> sink.life("t1", 2).map(Life::ticks).orElse(0L) >= 3);

    List<Life> lives = sink.lives();
    assertThat(lives).extracting(Life::taskId).containsExactly("t1", "t1");
    assertThat(lives).extracting(Life::generation).containsExactly(1L, 2L);
    assertThat(lives.get(0).lastTick()).isLessThan(lives.get(1).firstTick());
  }

  @Test
  void malformedLinesAreCountedAndTheConnectionGoesOn() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Socket client = connect();
    write(client, "garbage\n", "t9 notanumber\n", "\n", "a b c\n", "t9 -1\n", "t9 +1\n");
    write(client, new byte[] {'t', (byte) 0xff, ' ', '1', '\n'});
    write(client, "t9 1\n", "t9\t1\r\n");
    await().until(() -> sink.malformed() == 7 && sink.ticks() == 2);
    assertThat(sink.life("t9", 1).orElseThrow().ticks()).isEqualTo(2);
  }

  @Test
  void anOversizedLineDropsOnlyItsConnection() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Socket good = connect();
    write(good, "t1 1\n");
    await().until(() -> sink.ticks() == 1);

    Socket bad = connect();
    write(bad, "x".repeat(513) + "\n");
    bad.setSoTimeout(10_000);
    InputStream in = bad.getInputStream();
    assertThat(in.read()).as("the sink closed the oversized connection").isEqualTo(-1);
    assertThat(sink.malformed()).isEqualTo(1);

    // Exactly 512 bytes is still a line.
    write(good, "t1 1\n", "t" + "x".repeat(509) + " 1\n");
    await().until(() -> sink.ticks() == 3);
    assertThat(sink.malformed()).isEqualTo(1);
  }

  @Test
  void everyTickIsInTheTicksFileAfterClose(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ticks.jsonl");
    sink = TickSink.start(LOOPBACK, CLOCK, file);
    Process reporter = launch(sink.reporterCommand("t1", 3), Map.of());
    launch(sink.reporterCommand("t2", 1), Map.of());
    await().atMost(START).until(() -> sink.lives().size() == 2 && sink.ticks() >= 6);
    sink.close();
    // The sink closed its end: the reporter's next write fails and it exits.
    await().atMost(START).until(() -> !reporter.isAlive());
    assertThat(reporter.exitValue()).isNotZero();

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).hasSize((int) sink.ticks());
    assertThat(lines).extracting(n -> n.get("task").asText()).contains("t1", "t2");
    assertThat(lines).allSatisfy(n -> assertThat(n.get("generation").isIntegralNumber()).isTrue());
    List<Long> times = lines.stream().map(n -> n.get("time").asLong()).toList();
    assertThat(times).isSorted();
    assertThat(lines.stream().filter(n -> n.get("task").asText().equals("t1")).count())
        .isEqualTo(sink.life("t1", 3).orElseThrow().ticks());
  }

  @Test
  void aMarkingReporterCreatesItsReadyFileOnceTickingAndNeverWhenTheSinkIsUnreachable(@TempDir Path dir)
      throws Exception {
    TickSink gone = TickSink.start(LOOPBACK, CLOCK, null);
    List<String> unreachable = gone.reporterCommand("ready");
    gone.close();
    Path deadDir = Files.createDirectories(dir.resolve("dead"));
    Process dead = launch(unreachable, Map.of("OAG_TASK_ID", "t0", "OAG_ALLOC_GENERATION", "1"), deadDir);
    await().atMost(START).until(() -> !dead.isAlive());
    assertThat(dead.exitValue()).isNotZero();
    assertThat(deadDir.resolve("ready")).doesNotExist();

    sink = TickSink.start(LOOPBACK, CLOCK, null);
    Path liveDir = Files.createDirectories(dir.resolve("live"));
    launch(sink.reporterCommand("ready"), Map.of("OAG_TASK_ID", "t1", "OAG_ALLOC_GENERATION", "4"), liveDir);
    await().atMost(START).until(() -> Files.exists(liveDir.resolve("ready")));
    await().atMost(START).until(() -> sink.life("t1", 4).map(Life::ticks).orElse(0L) >= 3);
    assertThatThrownBy(() -> sink.reporterCommand("../ready")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.reporterCommand("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListenerSeesEveryTickInClockOrderUntilItIsClosed() throws Exception {
    sink = TickSink.start(LOOPBACK, CLOCK, null);
    List<Tick> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    TickSink.Listening listening = sink.onTick(seen::add);
    launch(sink.reporterCommand("t1", 1), Map.of());
    launch(sink.reporterCommand("t2", 2), Map.of());
    await().atMost(START).until(() -> sink.lives().size() == 2 && sink.ticks() >= 6);
    listening.close();
    long closedAt = sink.ticks();
    // A tick being stamped on each of the two connections as it closed may still reach it.
    await().atMost(START).until(() -> sink.ticks() >= closedAt + 3);

    assertThat((long) seen.size()).isLessThan(sink.ticks());
    assertThat(seen).extracting(Tick::time).isSorted();
    assertThat(seen).extracting(Tick::taskId).contains("t1", "t2");
  }

  private Process launch(List<String> command, Map<String, String> env) throws IOException {
    return launch(command, env, null);
  }

  private Process launch(List<String> command, Map<String, String> env, Path dir) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir == null ? null : dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().remove("OAG_TASK_ID");
    builder.environment().remove("OAG_ALLOC_GENERATION");
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(sink.address().getAddress(), sink.address().getPort());
    sockets.add(socket);
    return socket;
  }

  private static void write(Socket socket, String... lines) throws IOException {
    for (String line : lines) {
      write(socket, line.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void write(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }
}
