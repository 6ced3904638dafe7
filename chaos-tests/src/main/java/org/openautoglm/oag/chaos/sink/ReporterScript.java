package org.openautoglm.oag.chaos.sink;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The bash reporter: connects once, writes {@code "$OAG_TASK_ID $OAG_ALLOC_GENERATION"} every
 * 50 ms, and exits non-zero when either variable is unset, the sink cannot be reached or a write
 * fails, so that a process ticks exactly as long as it runs. The marking variant creates a file
 * in its working directory once its first tick is written, for a readiness check to find.
 */
final class ReporterScript {

  private ReporterScript() {}

  static List<String> fromEnvironment(InetSocketAddress sink) {
    return List.of("bash", "-c", script(sink, null));
  }

  static List<String> marking(InetSocketAddress sink, String readyFile) {
    if (readyFile.isEmpty() || readyFile.contains("/") || readyFile.startsWith("-")) {
      throw new IllegalArgumentException("ready file must be a plain file name: '" + readyFile + "'");
    }
    return List.of("bash", "-c", script(sink, readyFile));
  }

  static List<String> fixed(InetSocketAddress sink, String taskId, long generation) {
    if (!TaskGeneration.validTaskId(taskId)) {
      throw new IllegalArgumentException("task id must be 1 to "
          + TaskGeneration.MAX_TASK_ID_BYTES + " bytes with no whitespace: '" + taskId + "'");
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be >= 0: " + generation);
    }
    String assignments = "OAG_TASK_ID=" + singleQuoted(taskId)
        + "; OAG_ALLOC_GENERATION=" + generation + "\n";
    return List.of("bash", "-c", assignments + script(sink, null));
  }

  private static String script(InetSocketAddress sink, String readyFile) {
    String host = sink.getAddress().getHostAddress();
    // The first tick is written before the file exists: ready means "ticking already".
    String firstTick = readyFile == null ? ""
        : "echo \"$OAG_TASK_ID $OAG_ALLOC_GENERATION\" >&3 || exit 1\n"
            + ": > " + singleQuoted(readyFile) + " || exit 1\n"
            + "sleep 0.05 3>&-\n";
    // sleep gets fd 3 closed, so the connection ends the moment bash dies, not 50 ms later.
    return ": \"${OAG_TASK_ID:?}\" \"${OAG_ALLOC_GENERATION:?}\"\n"
        + "exec 3<>/dev/tcp/" + host + "/" + sink.getPort() + " || exit 1\n"
        + firstTick
        + "while :; do\n"
        + "  echo \"$OAG_TASK_ID $OAG_ALLOC_GENERATION\" >&3 || exit 1\n"
        + "  sleep 0.05 3>&-\n"
        + "done\n";
  }

  private static String singleQuoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
