package org.openautoglm.oag.agent.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.openautoglm.oag.agent.host.ProcFs;
import org.openautoglm.oag.agent.host.ProcStat;

/**
 * Finds the processes of allocations nobody supervises: every live process whose environment
 * holds {@code OAG_ALLOC_ID} (the launcher sets it, and children inherit it) and whose process
 * group is not one the agent knows (adopted or launched). They are what is left when a group
 * leader was SIGKILLed, when an agent died between launching a group and writing its pid
 * file, or when an allocation's folder was lost. The caller decides what to kill, by pid (or
 * by group, once it has checked that the group's leader, if alive, is one of them).
 *
 * <p>Stateless; one call reads every process's {@code environ} and {@code stat}, so call it
 * at start-up and rarely after. Processes whose environment cannot be read (another user's)
 * are not seen.
 */
public final class Orphans {
  static final String ALLOC_ID = "OAG_ALLOC_ID";

  /**
   * One orphaned process.
   *
   * @param startTicks with the pid, identifies it: check it before killing by pid
   */
  public record Orphan(long pid, long pgid, long startTicks) {}

  private Orphans() {}

  /** Orphans by allocation id (sorted), each list by pid; none of them in {@code knownGroups}. */
  public static Map<String, List<Orphan>> find(ProcFs proc, Set<Long> knownGroups) {
    long self = ProcessHandle.current().pid();
    Map<String, List<Orphan>> found = new TreeMap<>();
    for (long pid : proc.pids()) {
      if (pid == self) {
        continue;
      }
      Optional<ProcStat> stat = proc.stat(pid);
      if (stat.isEmpty() || stat.get().zombie() || knownGroups.contains(stat.get().processGroup())) {
        continue;
      }
      Optional<String> alloc = proc.environ(pid).map(env -> env.get(ALLOC_ID));
      if (alloc.isPresent() && !alloc.get().isEmpty()) {
        found.computeIfAbsent(alloc.get(), k -> new ArrayList<>())
            .add(new Orphan(pid, stat.get().processGroup(), stat.get().startTicks()));
      }
    }
    return found;
  }

  /** Every process of an allocation, as {@link #find(ProcFs, Set)} with no known group. */
  public static Map<String, List<Orphan>> find(ProcFs proc) {
    return find(proc, Set.of());
  }
}
