/**
 * Readiness: whether a running allocation is ready to serve, as its {@link
 * org.openautoglm.oag.agent.ready.ReadinessCheck} (a TCP connect on 127.0.0.1, or a command
 * that exits 0) says. {@link org.openautoglm.oag.agent.ready.ReadinessProber} runs each
 * running allocation's check every period on a small pool of its own, so a slow check never
 * holds up the supervision loop or the session; the supervision loop asks it, once per step,
 * what to report.
 */
package org.openautoglm.oag.agent.ready;
