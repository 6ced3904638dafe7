package org.openautoglm.oag.coordinator.http;

/**
 * Whether this node should take traffic now, as answered by {@code GET /readyz}: 200 when
 * {@link #isReady()}, else 503 with {@link #reason()} in the JSON body.
 *
 * <p>The component is {@code isReady}, not {@code ready}, because a record cannot have both an
 * accessor {@code ready()} and the static factory {@link #ready()}.
 *
 * @param isReady true when the node is ready (e.g. a leader is known and local state is loaded)
 * @param reason why the node is not ready, required and non-blank then; ignored (may be null) when ready
 */
public record Readiness(boolean isReady, String reason) {

  private static final Readiness READY = new Readiness(true, null);

  public Readiness {
    if (!isReady && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a not-ready Readiness needs a reason");
    }
  }

  /** The ready answer; a shared instance. */
  public static Readiness ready() {
    return READY;
  }

  /** A not-ready answer; {@code reason} is shown to operators, e.g. "no leader known". */
  public static Readiness notReady(String reason) {
    return new Readiness(false, reason);
  }
}
