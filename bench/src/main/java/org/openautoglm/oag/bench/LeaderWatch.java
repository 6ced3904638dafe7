package org.openautoglm.oag.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples leadership during the measured phase and counts leader changes: a sample whose
 * term is higher than the previous sample's (both with a leader) is one change, even when
 * the same member was elected again. A change and a change back between two samples are not
 * seen; the terms at the start and end still show that something happened. A sample that
 * fails or shows no leader is skipped. Not thread-safe: one runner thread.
 */
final class LeaderWatch {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);

  private ClusterHealth first;
  private ClusterHealth last;
  private int changes;

  /** Asks the target once; failures are logged, not thrown. */
  void sample(BenchTarget target) {
    try {
      observe(target.health());
    } catch (RuntimeException e) {
      LOG.warn("event=leader_sample_failed error=\"{}\"", e.getMessage());
    }
  }

  void observe(ClusterHealth h) {
    if (!h.hasLeader()) {
      return;
    }
    if (first == null) {
      first = h;
    } else if (h.term() > last.term()) {
      changes++;
    } else if (h.term() < last.term()) {
      return; // answered by a member that has not heard of the newer term yet
    }
    last = h;
  }

  /** What was seen; the first and last samples stand for "before" and "after". */
  SubmitReport.Leadership result() {
    if (first == null) {
      return new SubmitReport.Leadership(null, -1, null, -1, 0);
    }
    return new SubmitReport.Leadership(first.leader(), first.term(), last.leader(), last.term(),
        changes);
  }
}
