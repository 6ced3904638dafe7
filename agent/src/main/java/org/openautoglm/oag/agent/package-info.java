/**
 * The agent: one per host. Built so far: what the host has ({@code host}: cores, memory,
 * GPUs) and what its processes use ({@code host} samplers over /proc, {@code gpu} over
 * nvidia-smi). Not yet wired into a command: the supervisor, the session with the leader and
 * the lease keeper follow.
 */
package org.openautoglm.oag.agent;
