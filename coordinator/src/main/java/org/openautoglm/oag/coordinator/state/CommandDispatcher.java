package org.openautoglm.oag.coordinator.state;

import java.util.Optional;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;

/**
 * Routes a command to the applier of its body type: the one switch over body
 * types. A body this build does not know (a newer leader's command parses as
 * BODY_NOT_SET with unknown fields) and a header version above
 * {@link #SUPPORTED_VERSION} are "not understood"; the caller decides whether
 * that is ignorable or fatal. Stateless and thread-safe.
 */
final class CommandDispatcher {

  /** The newest command schema version this build applies; 0 (unset) reads as 1. */
  static final int SUPPORTED_VERSION = 1;

  static final CommandDispatcher STANDARD = new CommandDispatcher(new SubmitTaskApplier(),
      new UpdateTaskDesiredApplier(), new RegisterNodeApplier(), new PlaceTasksApplier(),
      new ReportAllocationsApplier(), new SetNodeEligibilityApplier(), new SetFailoverSettingsApplier(),
      new NodesSilentApplier(), new SetStormGuardApplier(), new DrainNodeApplier(), new MigrateTasksApplier(),
      new FinishDrainApplier(), new SetRebalanceSettingsApplier());

  private final SubmitTaskApplier submitTask;
  private final UpdateTaskDesiredApplier updateTaskDesired;
  private final RegisterNodeApplier registerNode;
  private final PlaceTasksApplier placeTasks;
  private final ReportAllocationsApplier reportAllocations;
  private final SetNodeEligibilityApplier setNodeEligibility;
  private final SetFailoverSettingsApplier setFailoverSettings;
  private final NodesSilentApplier nodesSilent;
  private final SetStormGuardApplier setStormGuard;
  private final DrainNodeApplier drainNode;
  private final MigrateTasksApplier migrateTasks;
  private final FinishDrainApplier finishDrain;
  private final SetRebalanceSettingsApplier setRebalanceSettings;

  CommandDispatcher(SubmitTaskApplier submitTask, UpdateTaskDesiredApplier updateTaskDesired,
      RegisterNodeApplier registerNode, PlaceTasksApplier placeTasks,
      ReportAllocationsApplier reportAllocations, SetNodeEligibilityApplier setNodeEligibility,
      SetFailoverSettingsApplier setFailoverSettings, NodesSilentApplier nodesSilent,
      SetStormGuardApplier setStormGuard, DrainNodeApplier drainNode, MigrateTasksApplier migrateTasks,
      FinishDrainApplier finishDrain, SetRebalanceSettingsApplier setRebalanceSettings) {
    this.submitTask = submitTask;
    this.updateTaskDesired = updateTaskDesired;
    this.registerNode = registerNode;
    this.placeTasks = placeTasks;
    this.reportAllocations = reportAllocations;
    this.setNodeEligibility = setNodeEligibility;
    this.setFailoverSettings = setFailoverSettings;
    this.nodesSilent = nodesSilent;
    this.setStormGuard = setStormGuard;
    this.drainNode = drainNode;
    this.migrateTasks = migrateTasks;
    this.finishDrain = finishDrain;
    this.setRebalanceSettings = setRebalanceSettings;
  }

  /** An applier bound to its body. */
  private record Route<B>(CommandApplier<B> applier, B body) {
    Optional<Violation> validate() {
      return applier.validate(body);
    }

    CommandResult apply(WorkingSet ws) {
      return applier.apply(ws, body);
    }
  }

  private Route<?> route(Command command) {
    return switch (command.getBodyCase()) {
      case SUBMIT_TASK -> new Route<>(submitTask, command.getSubmitTask());
      case UPDATE_TASK_DESIRED -> new Route<>(updateTaskDesired, command.getUpdateTaskDesired());
      case REGISTER_NODE -> new Route<>(registerNode, command.getRegisterNode());
      case PLACE_TASKS -> new Route<>(placeTasks, command.getPlaceTasks());
      case REPORT_ALLOCATIONS -> new Route<>(reportAllocations, command.getReportAllocations());
      case SET_NODE_ELIGIBILITY -> new Route<>(setNodeEligibility, command.getSetNodeEligibility());
      case SET_FAILOVER_SETTINGS -> new Route<>(setFailoverSettings, command.getSetFailoverSettings());
      case NODES_SILENT -> new Route<>(nodesSilent, command.getNodesSilent());
      case SET_STORM_GUARD -> new Route<>(setStormGuard, command.getSetStormGuard());
      case DRAIN_NODE -> new Route<>(drainNode, command.getDrainNode());
      case MIGRATE_TASKS -> new Route<>(migrateTasks, command.getMigrateTasks());
      case FINISH_DRAIN -> new Route<>(finishDrain, command.getFinishDrain());
      case SET_REBALANCE_SETTINGS -> new Route<>(setRebalanceSettings, command.getSetRebalanceSettings());
      case BODY_NOT_SET -> null;
    };
  }

  /** Whether this build knows the command's body type and schema version. */
  boolean understands(Command command) {
    return Integer.toUnsignedLong(command.getHeader().getVersion()) <= SUPPORTED_VERSION
        && route(command) != null;
  }

  Optional<Violation> validateBody(Command command) {
    Route<?> route = route(command);
    if (route == null) {
      return Violation.of("command", "no command body this coordinator knows");
    }
    return route.validate();
  }

  /** Applies a command that {@link #understands} and whose body validated. */
  CommandResult apply(WorkingSet ws, Command command) {
    Route<?> route = route(command);
    if (route == null) {
      throw new IllegalStateException("no applier for body " + command.getBodyCase());
    }
    return route.apply(ws);
  }
}
