/**
 * The agent: one per host. Built so far: what the host has ({@code host}: cores, memory,
 * GPUs), what its processes use ({@code host} samplers over /proc, {@code gpu} over
 * nvidia-smi), and the supervisor's parts ({@code supervisor}: persisted allocations, the
 * launcher, the restart policy). Not yet wired into a command: the supervision loop, the
 * session with the leader and the lease keeper follow.
 */
package org.openautoglm.oag.agent;
