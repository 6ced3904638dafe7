/**
 * The harness-owned tick sink: task processes report {@code <taskId> <generation>} lines every
 * 50 ms over TCP and the sink stamps each with its own clock at receipt, so the checkers can
 * tell when each run was alive even when it was killed with SIGKILL. {@link
 * org.openautoglm.oag.chaos.sink.TickSink} is the only entry point.
 */
package org.openautoglm.oag.chaos.sink;
