package org.openautoglm.oag.agent.session;

import java.util.List;
import org.openautoglm.oag.agent.v1.AllocationStatus;
import org.openautoglm.oag.agent.v1.DesiredSet;
import org.openautoglm.oag.agent.v1.Heartbeat;
import org.openautoglm.oag.agent.v1.LogRequest;

/**
 * What a {@link CoordinatorLink} needs from the agent: the content of what it sends, and
 * somewhere to hand what the leader asks for.
 *
 * <p>Contract: every method is called on the link's one thread, so implementations see the
 * calls in order; they must return quickly (hand work to another thread) and must not throw.
 * Only messages whose term was admitted reach them.
 */
public interface SessionHandler {
  /** Everything the agent supervises or still remembers, for a Hello. */
  List<AllocationStatus> inventory();

  /**
   * A heartbeat's body: host metrics and every allocation's status, with process metrics for
   * the running ones. The link sets {@code seq} and {@code sent_at_ms}.
   */
  Heartbeat.Builder heartbeat();

  /** The node's complete desired set from a leader of {@code term}. */
  void desiredSet(long term, DesiredSet set);

  /** A request for an allocation's output, answered through {@code sink}. */
  void logRequest(LogRequest request, LogSink sink);

  /** The session ended (failed, completed or closed): nothing more can be sent on it. */
  void sessionEnded();
}
