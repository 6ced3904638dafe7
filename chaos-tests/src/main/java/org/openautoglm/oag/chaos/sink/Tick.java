package org.openautoglm.oag.chaos.sink;

/**
 * One tick as the {@link TickSink} stamped it: which run of which task, and when its line was
 * read, on the sink's clock (nanos).
 */
public record Tick(String taskId, long generation, long time) {}
