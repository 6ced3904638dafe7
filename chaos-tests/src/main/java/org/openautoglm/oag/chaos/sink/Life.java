package org.openautoglm.oag.chaos.sink;

/**
 * One live run of a task generation as the {@link TickSink} saw it: the first and last tick
 * times, both on the sink's clock (nanos) at receipt, and how many ticks arrived in between.
 * A run that was killed ends at {@code lastTick}, within one tick period (50 ms) plus delivery
 * of its last moment of life.
 */
public record Life(String taskId, long generation, long firstTick, long lastTick, long ticks) {}
