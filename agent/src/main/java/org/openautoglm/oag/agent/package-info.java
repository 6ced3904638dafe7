/**
 * The agent: one per host. {@link org.openautoglm.oag.agent.Agent} (configured by {@link
 * org.openautoglm.oag.agent.AgentConfig}) ties together what the host has and what its
 * processes use ({@code host}, {@code gpu}), the per-allocation supervisors ({@code
 * supervisor}), the Reconciler that steps them toward the leader's desired set, and the
 * session with the leader ({@code session}). Still to come: re-adopting processes after an
 * agent restart, thresholds, and the lease keeper fed by {@link
 * org.openautoglm.oag.agent.session.LeaseListener}.
 */
package org.openautoglm.oag.agent;
