package org.openautoglm.oag.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/** What the agent tests look up in /proc about the process groups the agent started for them. */
final class Procs {
  private static final ProcFs PROC = ProcFs.host();

  private Procs() {}

  /** The process's state letter, or empty when it is gone (a zombie counts as gone). */
  static Optional<Character> state(long pid) {
    return PROC.stat(pid).filter(s -> !s.zombie()).map(ProcStat::state);
  }

  /** The process group of a live process (an allocation's command: its wrapper's group). */
  static long group(long pid) {
    return PROC.stat(pid).orElseThrow().processGroup();
  }

  static boolean alive(long pid) {
    return state(pid).isPresent();
  }

  /** Live processes of the group other than its leader. */
  static List<Long> members(long pgid) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(e -> e.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(pid -> pid != pgid)
          .filter(pid -> PROC.stat(pid).map(s -> s.processGroup() == pgid && !s.zombie())
              .orElse(false))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILLs a group this test's agent started and left running on purpose. */
  static void killGroup(long pgid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor();
  }
}
