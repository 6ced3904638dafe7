package org.openautoglm.oag.coordinator.state;

import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.command.v1.CommandResult.Code;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.NodeRecord;
import org.openautoglm.oag.state.v1.TaskRecord;

/** Builders of {@link CommandResult}s, so every applier words them alike. */
final class Results {

  static final String IGNORED = "ignored";

  private Results() {}

  static CommandResult ok(TaskRecord task) {
    return CommandResult.newBuilder().setCode(Code.OK).setTask(task).build();
  }

  static CommandResult ok(NodeRecord node) {
    return CommandResult.newBuilder().setCode(Code.OK).setNode(node).build();
  }

  /** Success of a command that is not about one task. */
  static CommandResult ok(String message) {
    return CommandResult.newBuilder().setCode(Code.OK).setMessage(message).build();
  }

  static CommandResult ignored() {
    return CommandResult.newBuilder().setCode(Code.OK).setMessage(IGNORED).build();
  }

  static CommandResult invalid(Violation violation) {
    return CommandResult.newBuilder()
        .setCode(Code.INVALID_ARGUMENT)
        .setField(violation.field())
        .setMessage(violation.describe())
        .build();
  }

  static CommandResult notFound(String message) {
    return CommandResult.newBuilder().setCode(Code.NOT_FOUND).setMessage(message).build();
  }

  static CommandResult failedPrecondition(String message) {
    return CommandResult.newBuilder().setCode(Code.FAILED_PRECONDITION).setMessage(message).build();
  }

  static CommandResult failedPrecondition(String message, TaskRecord task) {
    return failedPrecondition(message).toBuilder().setTask(task).build();
  }

  static CommandResult staleTerm(long headerTerm, long entryTerm) {
    return CommandResult.newBuilder()
        .setCode(Code.STALE_TERM)
        .setMessage("proposed in term " + headerTerm + " but logged in term " + entryTerm)
        .build();
  }
}
