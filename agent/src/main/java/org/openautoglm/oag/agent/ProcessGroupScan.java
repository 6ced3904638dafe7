package org.openautoglm.oag.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/**
 * The live members of the process groups the agent cares about, by one pass over {@code
 * /proc}. An allocation's group leader is only the wrapper shell; what it measures lives in
 * the members. Stateless; reads are racy by nature (a process may come or go during the scan).
 */
final class ProcessGroupScan {
  private final Path procRoot;
  private final ProcFs proc;

  ProcessGroupScan(Path procRoot, ProcFs proc) {
    this.procRoot = procRoot;
    this.proc = proc;
  }

  /** For each of {@code pgids}, the pids of its live (not zombie) members, the leader included. */
  Map<Long, List<Long>> members(Set<Long> pgids) {
    Map<Long, List<Long>> members = new HashMap<>();
    if (pgids.isEmpty()) {
      return members;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        ProcStat stat = proc.stat(pid).orElse(null);
        if (stat != null && !stat.zombie() && pgids.contains(stat.processGroup())) {
          members.computeIfAbsent(stat.processGroup(), k -> new ArrayList<>()).add(pid);
        }
      }
    } catch (IOException | RuntimeException e) {
      // An unreadable /proc leaves the metrics empty; the heartbeat still goes out.
    }
    return members;
  }
}
