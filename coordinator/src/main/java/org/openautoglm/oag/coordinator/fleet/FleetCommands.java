package org.openautoglm.oag.coordinator.fleet;

import org.openautoglm.oag.command.v1.CommandHeader;

/** Headers of the commands the leader proposes on its own (no client, no request id). */
final class FleetCommands {
  /** Schema version of the node and allocation command bodies. */
  static final int VERSION = 1;

  private FleetCommands() {}

  static CommandHeader.Builder header() {
    return CommandHeader.newBuilder().setVersion(VERSION);
  }
}
