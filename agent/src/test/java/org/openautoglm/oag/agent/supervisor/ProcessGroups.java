package org.openautoglm.oag.agent.supervisor;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/** What the supervisor tests look up in /proc about the process groups they start. */
final class ProcessGroups {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final ProcFs PROC = ProcFs.host();

  private ProcessGroups() {}

  /** The one process the wrapper (group leader {@code pgid}) started, once it has. */
  static long awaitOneChild(long pgid) {
    await().atMost(WITHIN).until(() -> !groupMembers(pgid).isEmpty());
    return groupMembers(pgid).get(0);
  }

  /** Live processes of the group other than its leader. */
  static List<Long> groupMembers(long pgid) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(e -> e.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(pid -> pid != pgid)
          .filter(pid -> PROC.stat(pid).map(s -> s.processGroup() == pgid && s.state() != 'Z')
              .orElse(false))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process's state letter, or empty when it is gone. */
  static Optional<Character> state(long pid) {
    return PROC.stat(pid).map(ProcStat::state);
  }
}
