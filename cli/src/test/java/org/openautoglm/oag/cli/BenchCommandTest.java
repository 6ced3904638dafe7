package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.api.v1.CreateTaskRequest;
import org.openautoglm.oag.api.v1.Event;
import org.openautoglm.oag.api.v1.RestartPolicy;
import picocli.CommandLine.TypeConversionException;

/** {@code oag bench} wiring against the in-process fake; the measuring is tested in bench. */
class BenchCommandTest extends CliTestSupport {
  @TempDir
  Path dir;

  @Test
  void submitJsonHasStableFieldNamesAndCreatesTasksWithThePayloadLabel() throws Exception {
    Result r = oag("bench", "submit", "--clients", "2", "--duration", "300ms",
        "--warmup", "100ms", "--payload", "16", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertTrue(names.containsAll(List.of("clients", "durationSeconds", "ops", "errors",
        "throughput", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "warmupThroughput",
        "leaderChanges", "termBefore", "termAfter")), names.toString());
    assertEquals(2, j.get("clients").asInt());
    assertEquals(0.3, j.get("durationSeconds").asDouble(), 1e-9);
    assertTrue(j.get("ops").asLong() > 0, r.out());
    assertEquals(0, j.get("errors").asLong(), r.out());
    assertEquals(3, j.get("termBefore").asLong());
    assertEquals("closed", j.get("mode").asText());
    CreateTaskRequest req = fake.requests.stream().filter(CreateTaskRequest.class::isInstance)
        .map(CreateTaskRequest.class::cast).findFirst().orElseThrow();
    assertEquals(16, req.getSpec().getLabelsOrThrow("payload").length());
    assertTrue(req.getSpec().getName().startsWith(j.get("namePrefix").asText() + "-w"));
  }

  @Test
  void submitTableShowsThroughputAndPercentiles() {
    Result r = oag("bench", "submit", "--clients", "1", "--duration", "0.2s", "--warmup", "0",
        "--rate", "50");

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("open loop at 50 writes/s, 1 client, 256-byte payload"), r.out());
    assertTrue(r.out().contains("latency ms  p50 "), r.out());
    assertTrue(r.out().contains("leader      c1 (term 3) -> c1 (term 3), 0 change(s) seen"),
        r.out());
  }

  @Test
  void badOptionsAreUsageErrors() {
    Result r = oag("bench", "submit", "--clients", "2", "--duration", "soon");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("'soon' is not a time"), r.err());

    r = oag("bench", "submit", "--clients", "0", "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("clients must be"), r.err());

    r = oag("bench", "submit", "--clients", "1", "--duration", "1s", "--rate", "0");
    assertEquals(Errors.USAGE, r.exit());
  }

  @Test
  void startSubmitsRunnableTasksAndReportsPlacementsFromTheReplicatedEventTimes()
      throws Exception {
    // The fake numbers tasks t1, t2, ... and reports applied index 10; its stored events after
    // that index reach the watch (in index order, as a server sends them) as if the three
    // tasks were submitted and placed.
    for (int k = 1; k <= 3; k++) {
      fake.addEvent(event(10 + k, "task.submitted", "t" + k, 1_000 + 100 * k));
    }
    for (int k = 1; k <= 3; k++) {
      fake.addEvent(event(20 + k, "task.scheduled", "t" + k, 1_500 + 100 * k));
    }
    Result r = oag("bench", "submit", "--start", "--writes", "3", "--clients", "2",
        "--duration", "30s", "--warmup", "0", "--payload", "0", "-o", "json");

    assertEquals(0, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(3, j.get("ops").asLong(), r.out());
    assertEquals(3, j.get("maxWrites").asLong(), r.out());
    assertTrue(j.get("durationSeconds").asDouble() < 30, r.out());
    assertEquals(3, j.get("tasks").asInt(), r.out());
    assertEquals(3, j.get("placed").asInt(), r.out());
    assertEquals(0.7, j.get("placementSeconds").asDouble(), 1e-9);     // 1100 -> 1800 ms
    assertEquals(4.3, j.get("placementsPerSecond").asDouble(), 1e-9);  // 3 / 0.7 s
    assertEquals(3, j.get("placementEntries").asInt(), r.out());     // indexes 21, 22, 23
    assertEquals(15.0, j.get("submittedPerSecond").asDouble(), 1e-9);  // 3 / 0.2 s
    assertEquals(15.0, j.get("drainPerSecond").asDouble(), 1e-9);      // 3 / (1800 - 1600 ms)
    List<CreateTaskRequest> submits = fake.requests.stream()
        .filter(CreateTaskRequest.class::isInstance).map(CreateTaskRequest.class::cast).toList();
    assertEquals(3, submits.size());
    var spec = submits.get(0).getSpec();
    assertEquals("true", spec.getCommand());
    assertEquals(1, spec.getResources().getCpuMillis());
    assertEquals(1, spec.getResources().getMemoryMib());
    assertEquals(RestartPolicy.RESTART_NEVER, spec.getRestart());
    Result got = oag("task", "get", "t3", "-o", "json");
    assertEquals("PENDING", new ObjectMapper().readTree(got.out()).get("state").asText(),
        "submitted, not created: " + got.out());

    r = oag("bench", "submit", "--start", "--writes", "2", "--clients", "1", "--duration", "30s",
        "--warmup", "0", "--place-timeout", "100ms");
    assertEquals(Errors.FAILURE, r.exit(), r.out());
    assertTrue(r.out().contains("placed      0 of 2 tasks"), r.out());
    assertTrue(r.err().contains("oag: 2 of 2 tasks were not placed within 100ms"), r.err());
  }

  @Test
  void startAndWritesRefuseWhatTheyCannotDo() {
    Result r = oag("bench", "submit", "--start", "--target", "etcd", "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--start is for --target oag"), r.err());

    r = oag("bench", "submit", "--writes", "10", "--rate", "5", "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("closed loop"), r.err());

    r = oag("bench", "submit", "--writes", "0", "--clients", "1", "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--writes must be at least 1"), r.err());

    r = oag("bench", "submit", "--start", "--place-timeout", "later", "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("'later' is not a time"), r.err());
    assertTrue(fake.requests.isEmpty(), "nothing was sent: " + fake.requests);
  }

  private static Event event(long index, String type, String taskId, long timeMs) {
    return Event.newBuilder().setIndex(index).setType(type).setTaskId(taskId).setTimeMs(timeMs)
        .build();
  }

  @Test
  void compareRefusesBadSettingsBeforeTouchingAnyCluster() {
    String data = dir.resolve("oag").toString();
    String etcd = dir.resolve("etcd").toString();
    Result r = oag("bench", "compare", "--data", data, "--etcd-data", etcd, "--levels", "1,0");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("levels must be"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());

    r = oag("bench", "compare", "--data", data, "--etcd-data", etcd, "--rounds", "0");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("rounds must be"), r.err());

    r = oag("bench", "compare", "--data", data, "--etcd-data", etcd, "--max-foreign-cpu", "0");
    assertEquals(Errors.USAGE, r.exit());

    r = oag("bench", "compare", "--data", data, "--etcd-data", etcd, "--endpoints", "nowhere");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--endpoints"), r.err());

    r = oag("bench", "compare", "--data", data);
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--etcd-data"), r.err());
    assertTrue(fake.requests.isEmpty(), "nothing was sent: " + fake.requests);
  }

  @Test
  void failoverRefusesAClusterItCannotKillALeaderIn() throws Exception {
    Result r = oag("bench", "failover", "--data", dir.resolve("missing").toString());
    assertEquals(Errors.FAILURE, r.exit());
    assertTrue(r.err().contains("does not exist"), r.err());

    Path script = dir.resolve("local-cluster.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    assertTrue(script.toFile().setExecutable(true));
    r = oag("bench", "failover", "--data", dir.toString(), "--script", script.toString());
    assertEquals(Errors.FAILURE, r.exit());
    assertTrue(r.err().contains("at least 3 members"), r.err());
  }

  @Test
  void submitAgainstEtcdPutsThePayloadUnderUniqueKeys() throws Exception {
    try (FakeEtcdMember etcd = new FakeEtcdMember()) {
      Result r = oag("bench", "submit", "--target", "etcd", "--endpoints", etcd.endpoint,
          "--clients", "2", "--duration", "300ms", "--warmup", "100ms", "-o", "json");

      assertEquals(0, r.exit(), r.err());
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertEquals("etcd", j.get("target").asText());
      assertTrue(j.get("ops").asLong() > 0, r.out());
      assertEquals(0, j.get("errors").asLong(), r.out());
      assertEquals("e1", j.get("leaderBefore").asText());
      assertEquals(2, j.get("termBefore").asLong());
      assertTrue(etcd.puts.size() >= j.get("ops").asLong(), r.out());
      assertEquals(256, etcd.puts.get(0).getValue().size());
      assertTrue(etcd.puts.get(0).getKey().toStringUtf8()
          .startsWith(j.get("namePrefix").asText() + "-w"));
      assertEquals(etcd.puts.size(), etcd.puts.stream().map(p -> p.getKey()).distinct().count());

      r = oag("bench", "submit", "--target", "ETCD", "--endpoints", etcd.endpoint,
          "--clients", "1", "--duration", "100ms", "--warmup", "0");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("target      etcd"), r.out());
      assertTrue(r.out().contains("leader      e1 (term 2) -> e1 (term 2)"), r.out());
      assertTrue(r.out().contains("keys        bench-"), r.out());
    }
  }

  @Test
  void targetOptionsThatDoNotFitAreUsageErrors() {
    Result r = oag("bench", "submit", "--target", "zookeeper", "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("'zookeeper' is not a target (oag or etcd)"), r.err());
    assertEquals(1, r.errLines().size(), r.err());

    r = oag("bench", "submit", "--endpoints", "127.0.0.1:23791", "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--endpoints is for --target etcd"), r.err());

    r = oag("bench", "submit", "--target", "etcd", "--address", address, "--clients", "1",
        "--duration", "1s");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("--address is for --target oag"), r.err());

    r = oag("bench", "failover", "--target", "etcd", "--endpoints", "127.0.0.1", "--data",
        dir.toString(), "--script", dir.toString());
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("Invalid value for option '--endpoints': endpoint '127.0.0.1'"),
        r.err());
    assertEquals(1, r.errLines().size(), r.err());
  }

  @Test
  void anUnreachableEtcdIsAOneLineFailure() {
    Result r = oag("bench", "submit", "--target", "etcd", "--endpoints", "etcd-none:1",
        "--clients", "1", "--duration", "1s");
    assertEquals(Errors.FAILURE, r.exit());
    assertTrue(r.err().contains("no etcd member answered (endpoints etcd-none:1)"), r.err());
    assertEquals(2, r.errLines().size(), r.err()); // the progress line, then the error
  }

  @Test
  void etcdFailoverNeedsTheDataDirOfTheEtcdScript() throws Exception {
    Path script = dir.resolve("etcd-cluster.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    assertTrue(script.toFile().setExecutable(true));
    try (FakeEtcdMember etcd = new FakeEtcdMember()) {
      Result r = oag("bench", "failover", "--target", "etcd", "--endpoints", etcd.endpoint,
          "--data", dir.resolve("missing").toString(), "--script", script.toString());
      assertEquals(Errors.FAILURE, r.exit());
      assertTrue(r.err().contains("start the cluster with bench/etcd-cluster.sh start --data"),
          r.err());
    }
  }

  @Test
  void timesTakeAUnit() {
    assertEquals(Duration.ofSeconds(30), BenchCommand.Time.parse("30s"));
    assertEquals(Duration.ofSeconds(30), BenchCommand.Time.parse("30"));
    assertEquals(Duration.ofMillis(500), BenchCommand.Time.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), BenchCommand.Time.parse("1.5s"));
    assertEquals(Duration.ofMinutes(2), BenchCommand.Time.parse("2m"));
    assertEquals(Duration.ofHours(1), BenchCommand.Time.parse("1h"));
    assertThrows(TypeConversionException.class, () -> BenchCommand.Time.parse("-1s"));
    assertThrows(TypeConversionException.class, () -> BenchCommand.Time.parse("1d"));
    assertThrows(TypeConversionException.class, () -> BenchCommand.Time.parse("9999h"));
  }
}
