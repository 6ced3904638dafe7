package org.openautoglm.oag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openautoglm.oag.agent.AgentConfig;
import picocli.CommandLine;

/** {@code oag agent}'s options, checked before an agent starts. */
class AgentCommandTest extends CliTestSupport {
  @TempDir Path data;

  private AgentConfig config(String... extra) {
    AgentCommand command = new AgentCommand();
    String[] base = {"--coordinators", "127.0.0.1:7070", "--node-id", "a1", "--data", data.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void offeredCapacityDefaultsToWhatIsDetected() {
    AgentConfig c = config();

    assertEquals(0, c.cpuMillis());
    assertEquals(0, c.memoryMib());
  }

  @Test
  void cpuAndMemoryOverrideWhatIsOffered() {
    AgentConfig c = config("--cpu", "1500m", "--memory", "8Gi");

    assertEquals(1500, c.cpuMillis());
    assertEquals(8192, c.memoryMib());
  }

  @Test
  void aZeroOfferIsAUsageErrorNamingTheOption() {
    Result cpu = oag("agent", "--coordinators", "127.0.0.1:7070", "--node-id", "a1",
        "--data", data.toString(), "--cpu", "0");
    Result memory = oag("agent", "--coordinators", "127.0.0.1:7070", "--node-id", "a1",
        "--data", data.toString(), "--memory", "0");

    assertEquals(2, cpu.exit());
    assertEquals(1, cpu.errLines().size(), cpu.err());
    assertTrue(cpu.err().contains("--cpu"), cpu.err());
    assertEquals(2, memory.exit());
    assertTrue(memory.err().contains("--memory"), memory.err());
  }
}
