/**
 * The agent's side of the agent protocol ({@code oag/agent.proto}): {@link
 * org.openautoglm.oag.agent.session.CoordinatorLink} keeps one session with whichever
 * coordinator answers (register, Hello with the inventory, heartbeats, term filtering, the
 * lease from acked send times, failover); {@link
 * org.openautoglm.oag.agent.session.LogStreamer} answers log requests behind the replaceable
 * {@link org.openautoglm.oag.agent.session.LogReader}. What goes into the messages comes from
 * the agent through {@link org.openautoglm.oag.agent.session.SessionHandler}.
 */
package org.openautoglm.oag.agent.session;
