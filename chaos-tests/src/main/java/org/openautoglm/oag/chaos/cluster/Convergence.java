package org.openautoglm.oag.chaos.cluster;

import java.util.Map;

/**
 * What every coordinator reported at the moment they all had the same applied index: that
 * index and each one's digest of everything applied up to it. Correct replicas have equal
 * digests there.
 */
public record Convergence(long appliedIndex, Map<String, String> digests) {
  public Convergence {
    digests = Map.copyOf(digests);
  }

  public boolean sameDigest() {
    return digests.values().stream().distinct().count() == 1;
  }
}
