/**
 * {@code oag bench agents}: simulated agents with real gRPC sessions against a running cluster,
 * so that one leader can be measured watching a whole fleet.
 *
 * <p>{@link org.openautoglm.oag.bench.fleet.AgentSimulation} runs it from an {@link
 * org.openautoglm.oag.bench.fleet.AgentsConfig} and returns an {@link
 * org.openautoglm.oag.bench.fleet.AgentsReport}. Inside: each {@code SimAgent} speaks the agent
 * protocol (Register, one Session stream, Hello, heartbeats, desired sets "run" by {@code
 * SimAllocations}, the real agent's reconnect backoff) over channels shared through a {@code
 * ChannelPool}, towards the coordinator a {@code LeaderLocator} names, with registers
 * throttled by a {@code RegisterGate}; a few {@code HeartbeatShard} threads send every agent's
 * heartbeats on an even {@code SendSchedule} and record how late they sent; each agent keeps
 * its {@code SendGap}s; a {@code DownWatch} follows the event log for DOWN verdicts and judges
 * them against those gaps; {@code SimTasks} submits and stops the tasks; at the end {@code
 * Ending} (with {@code Retirement}'s waves) takes the fleet down.
 *
 * <p>No process is ever started; nothing here reads coordinator internals (the client library
 * and the agent protocol only).
 */
package org.openautoglm.oag.bench.fleet;
