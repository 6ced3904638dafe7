package org.openautoglm.oag.agent.supervisor;

import java.util.List;
import java.util.Map;

/**
 * One run of a task on this host, as the leader assigned it: what to run and under which
 * identity. Immutable; the agent persists it (see {@link AllocationDir}) before starting it.
 *
 * @param allocationId unique per allocation; also the name of its folder, so a single path
 *     segment
 * @param taskId the task this allocation runs
 * @param generation the allocation's generation, 1 or more; a restart gets a higher one
 * @param command the program and its arguments, passed verbatim (never through a shell)
 * @param env variables added to the agent's environment; the agent's own {@code OAG_*}
 *     identity variables take precedence
 * @param workingDir where the command runs, or {@code null} (blank is read as null) for the
 *     allocation's own folder
 */
public record Allocation(String allocationId, String taskId, long generation, List<String> command,
    Map<String, String> env, String workingDir) {

  public Allocation {
    requireNonBlank(allocationId, "allocationId");
    requireNonBlank(taskId, "taskId");
    if (allocationId.contains("/") || allocationId.equals(".") || allocationId.equals("..")) {
      throw new IllegalArgumentException("allocationId must be a single path segment: " + allocationId);
    }
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be >= 1, was " + generation);
    }
    if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isEmpty()) {
      throw new IllegalArgumentException("command must name a program");
    }
    command = List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDir = workingDir == null || workingDir.isBlank() ? null : workingDir;
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
