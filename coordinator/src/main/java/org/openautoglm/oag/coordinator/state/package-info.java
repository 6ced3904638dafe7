/**
 * The coordinator's deterministic replicated state: a RocksDB store with one
 * column family per table, the appliers that turn replicated commands into
 * state changes, and in-memory indexed views of the tasks.
 *
 * <p>The entry point is {@link org.openautoglm.oag.coordinator.state.StateStore}.
 * The Raft state machine feeds it one {@code CommandBatch} per log entry from
 * its single apply thread; any number of threads read the views concurrently.
 *
 * <p>Apply is a pure function of (state, batch, log index): no clock, no
 * randomness, sorted iteration only, deterministic serialization. Everything
 * time- or id-like comes from the command header stamped by the leader.
 * {@code CommandDispatcher} is the only switch over command body types; each
 * body has one {@code ...Applier}.
 */
package org.openautoglm.oag.coordinator.state;
