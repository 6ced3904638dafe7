package org.openautoglm.oag.agent.ready;

/**
 * The outcome of one readiness check.
 *
 * @param passed whether the port accepted the connection, or the command exited 0
 * @param reason why it failed, for people and events; empty when it passed
 */
record CheckResult(boolean passed, String reason) {
  static final CheckResult PASSED = new CheckResult(true, "");

  static CheckResult failed(String reason) {
    return new CheckResult(false, reason);
  }
}
