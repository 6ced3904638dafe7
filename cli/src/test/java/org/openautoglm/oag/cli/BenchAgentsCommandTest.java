package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openautoglm.oag.bench.Latency;
import org.openautoglm.oag.bench.fleet.AgentsConfig;
import org.openautoglm.oag.bench.fleet.AgentsReport;

/** {@code oag bench agents} wiring; the simulation itself is tested in bench (AgentSimulationIT). */
class BenchAgentsCommandTest extends CliTestSupport {

  private static AgentsReport report(long falseDowns, int established) {
    AgentsConfig c = AgentsConfig.builder(1000).nodePrefix("sim-t").interval(Duration.ofSeconds(1)).build();
    return new AgentsReport(c, 1000, 500, 6000, 60,
        new AgentsReport.Sessions(2.5, 1000, established, 998, 0, 998, 3, Map.of("session UNAVAILABLE", 3L), 0, 1),
        new AgentsReport.Heartbeats(59_000, 12, 0, new Latency(59_000, 0.1, 0.5, 1.25, 4, 20, 0.2), 59_000,
            new Latency(59_000, 110, 200, 230, 260, 300, 120), 1_250, 1_010, 0),
        new AgentsReport.Down(falseDowns, falseDowns, 0, 0),
        new AgentsReport.Tasks(0, 0, 0, 0),
        new AgentsReport.Leadership("c1", 3, "c1", 3, false),
        new AgentsReport.End(false, 1000, 1000, 10, 66.2, null));
  }

  @Test
  void theTableShowsEveryFigureInOneLineEach() {
    StringWriter s = new StringWriter();
    BenchAgentsCommand.table(new Output(new PrintWriter(s)), report(0, 1000));
    String t = s.toString();

    assertTrue(t.contains("agents      1000 as sim-t-0..999, a heartbeat every 1000 ms (the leader asks for 500),"
        + " to the leader over 1 channel(s)"), t);
    assertTrue(t.contains("measured    60 s; every agent had a session after 2.5 s"), t);
    assertTrue(t.contains("sessions    1000 registered, 998 up at the end (0 through a follower), 998 UP in"
        + " the node list; 3 reconnects, 0 stale messages"), t);
    assertTrue(t.contains("failures    session UNAVAILABLE 3"), t);
    assertTrue(t.contains("late ms     p50 0.1  p99 1.25  p99.9 4  max 20"), t);
    assertTrue(t.contains("ack ms      p50 110  p99 230  p99.9 260  max 300  (0 unacked)"), t);
    assertTrue(t.contains("DOWN        0 verdict(s): 0 false, 0 explained by the simulator (0 without a session)"), t);
    assertTrue(t.contains("end         retired 1000 in 10 wave(s), 1000 DOWN, 66.2 s"), t);
    assertNull(BenchAgentsCommand.problem(report(0, 1000)));
  }

  @Test
  void falseDownsAndAgentsWithoutASessionFailTheRun() {
    assertTrue(BenchAgentsCommand.problem(report(2, 1000)).startsWith("2 false DOWN verdict(s)"));
    assertEquals("3 of 1000 agents never had a session", BenchAgentsCommand.problem(report(0, 997)));
  }

  @Test
  void badOptionsAreUsageErrorsBeforeAnythingConnects() {
    Result r = oag("bench", "agents", "--count", "0");
    assertEquals(Errors.USAGE, r.exit());

    r = oag("bench", "agents", "--count", "10", "--connect", "nearest");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("'nearest' is not leader or any"), r.err());

    r = oag("bench", "agents", "--count", "10", "--tasks-per-agent", "5000", "--cpu", "2");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("tasks per agent"), r.err());

    r = oag("bench", "agents", "--count", "10", "--node-prefix", "bad prefix");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("node prefix"), r.err());

    r = oag("bench", "agents", "--count", "10", "--interval", "soon");
    assertEquals(Errors.USAGE, r.exit());
    assertTrue(r.err().contains("'soon' is not a time"), r.err());
    assertTrue(fake.requests.isEmpty(), "nothing reached the cluster");
  }
}
